using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using static NeuroData.Tests.Unit.Domain.DomainBuilders;

namespace NeuroData.Tests.Unit.Domain.Commerce;

public sealed class ChainTransactionTests
{
    private static ChainTransaction Pending(Guid? user = null) =>
        new(ChainId.LocalDev, Hash(1), BuyerAddress, SellerAddress, ChainTransactionPurpose.Purchase, user, T0);

    [Fact]
    public void New_IsPending()
    {
        var user = Guid.NewGuid();
        var tx = Pending(user);

        tx.Status.ShouldBe(ChainTransactionStatus.Pending);
        tx.IsFinal.ShouldBeFalse();
        tx.Hash.ShouldBe(Hash(1));
        tx.From.ShouldBe(BuyerAddress);
        tx.To.ShouldBe(SellerAddress);
        tx.UserId.ShouldBe(user);
        tx.SentAt.ShouldBe(T0);
        Pending(Guid.Empty).UserId.ShouldBeNull();
        new ChainTransaction(ChainId.LocalDev, Hash(2), BuyerAddress, null, ChainTransactionPurpose.Other, null, T0).To.ShouldBeNull();
    }

    [Fact]
    public void New_WithoutHashOrSender_IsRejected()
    {
        Should.Throw<DomainException>(() => new ChainTransaction(ChainId.LocalDev, null!, BuyerAddress, null, ChainTransactionPurpose.Other, null, T0))
            .Message.ShouldBe("A transaction hash is required.");
        Should.Throw<DomainException>(() => new ChainTransaction(ChainId.LocalDev, Hash(1), null!, null, ChainTransactionPurpose.Other, null, T0))
            .Message.ShouldBe("The sender address is required.");
    }

    [Fact]
    public void Confirm_RecordsTheBlock()
    {
        var tx = Pending();

        tx.Confirm(123, T0.AddSeconds(12));

        tx.Status.ShouldBe(ChainTransactionStatus.Confirmed);
        tx.BlockNumber.ShouldBe(123);
        tx.ConfirmedAt.ShouldBe(T0.AddSeconds(12));
        tx.IsFinal.ShouldBeTrue();
        tx.FailureReason.ShouldBeNull();
    }

    [Fact]
    public void Confirm_WithANegativeBlock_ChangesNothing()
    {
        var tx = Pending();

        Should.Throw<DomainException>(() => tx.Confirm(-1, T0)).Message.ShouldBe("A block number cannot be negative (got -1).");
        tx.Status.ShouldBe(ChainTransactionStatus.Pending);
        tx.BlockNumber.ShouldBeNull();
    }

    [Fact]
    public void MarkReverted_KeepsTheReason_OrADefault()
    {
        var tx = Pending();
        tx.MarkReverted(9, "  SelfPurchase(3)  ", T0.AddSeconds(5));
        tx.Status.ShouldBe(ChainTransactionStatus.Reverted);
        tx.BlockNumber.ShouldBe(9);
        tx.FailureReason.ShouldBe("SelfPurchase(3)");

        var silent = Pending();
        silent.MarkReverted(9, null, T0);
        silent.FailureReason.ShouldBe("The transaction reverted.");
    }

    [Fact]
    public void MarkReverted_WithATooLongReason_ChangesNothing()
    {
        // Regression: the block number and time used to be stored before the reason was checked.
        var tx = Pending();

        Should.Throw<DomainException>(() => tx.MarkReverted(9, new string('r', ChainTransaction.FailureMaxLength + 1), T0.AddSeconds(5)))
            .Message.ShouldContain("at most 1000");

        tx.Status.ShouldBe(ChainTransactionStatus.Pending);
        tx.BlockNumber.ShouldBeNull();
        tx.ConfirmedAt.ShouldBeNull();
        tx.FailureReason.ShouldBeNull();
    }

    [Fact]
    public void MarkFailed_NeedsAReason()
    {
        var tx = Pending();

        Should.Throw<DomainException>(() => tx.MarkFailed("", T0)).Message.ShouldBe("A failure reason is required.");
        tx.Status.ShouldBe(ChainTransactionStatus.Pending);

        tx.MarkFailed("Replaced by a higher fee", T0.AddMinutes(5));
        tx.Status.ShouldBe(ChainTransactionStatus.Failed);
        tx.BlockNumber.ShouldBeNull();
        tx.FailureReason.ShouldBe("Replaced by a higher fee");
    }

    [Theory]
    [InlineData(ChainTransactionStatus.Confirmed)]
    [InlineData(ChainTransactionStatus.Reverted)]
    [InlineData(ChainTransactionStatus.Failed)]
    public void AFinalTransaction_NeverChanges(ChainTransactionStatus status)
    {
        var tx = Pending();
        switch (status)
        {
            case ChainTransactionStatus.Confirmed: tx.Confirm(1, T0); break;
            case ChainTransactionStatus.Reverted: tx.MarkReverted(1, "r", T0); break;
            default: tx.MarkFailed("f", T0); break;
        }

        var state = status.ToString().ToLowerInvariant();
        Should.Throw<DomainException>(() => tx.Confirm(2, T0.AddDays(1))).Message.ShouldBe($"Transaction {Hash(1).ToShortString()} is already {state} and cannot be confirmed.");
        Should.Throw<DomainException>(() => tx.MarkReverted(2, null, T0.AddDays(1))).Message.ShouldEndWith("cannot be marked reverted.");
        Should.Throw<DomainException>(() => tx.MarkFailed("x", T0.AddDays(1))).Message.ShouldEndWith("cannot be marked failed.");
        tx.Status.ShouldBe(status);
        tx.ConfirmedAt.ShouldBe(T0);
    }
}

public sealed class SettlementTests
{
    [Fact]
    public void Payout_NeedsSellerAddressPositiveAmountAndHash()
    {
        var seller = Guid.NewGuid();
        var p = new Payout(seller, Guid.Empty, SellerAddress, TokenAmount.FromTokens(9), ChainId.LocalDev, Hash(3), T0);

        p.EscrowId.ShouldBeNull();
        p.Amount.ShouldBe(TokenAmount.FromTokens(9));
        Should.Throw<DomainException>(() => new Payout(Guid.Empty, null, SellerAddress, TokenAmount.FromTokens(1), ChainId.LocalDev, Hash(3), T0)).Message.ShouldBe("The seller is required.");
        Should.Throw<DomainException>(() => new Payout(seller, null, null!, TokenAmount.FromTokens(1), ChainId.LocalDev, Hash(3), T0)).Message.ShouldBe("A payout needs a destination address.");
        Should.Throw<DomainException>(() => new Payout(seller, null, SellerAddress, TokenAmount.Zero, ChainId.LocalDev, Hash(3), T0)).Message.ShouldBe("A payout must be a positive amount.");
        Should.Throw<DomainException>(() => new Payout(seller, null, SellerAddress, TokenAmount.FromTokens(1), ChainId.LocalDev, null!, T0)).Message.ShouldBe("A payout needs its transaction hash.");
    }

    [Fact]
    public void PlatformFee_NeedsPurchaseAndHash_AndMayBeZero()
    {
        new PlatformFee(Guid.NewGuid(), TokenAmount.Zero, ChainId.LocalDev, Hash(4), T0).Amount.ShouldBe(TokenAmount.Zero);
        Should.Throw<DomainException>(() => new PlatformFee(Guid.Empty, TokenAmount.Zero, ChainId.LocalDev, Hash(4), T0)).Message.ShouldBe("The purchase is required.");
        Should.Throw<DomainException>(() => new PlatformFee(Guid.NewGuid(), TokenAmount.Zero, ChainId.LocalDev, null!, T0)).Message.ShouldBe("A fee needs its transaction hash.");
    }

    [Fact]
    public void Refund_NeedsPositiveAmountAndReason_HashMayComeLater()
    {
        var r = new Refund(Guid.NewGuid(), TokenAmount.FromTokens(2), "  Dispute ruled refund  ", ChainId.LocalDev, null, T0);

        r.Reason.ShouldBe("Dispute ruled refund");
        r.TxHash.ShouldBeNull();
        Should.Throw<DomainException>(() => new Refund(Guid.NewGuid(), TokenAmount.Zero, "x", ChainId.LocalDev, null, T0)).Message.ShouldBe("A refund must be a positive amount.");
        Should.Throw<DomainException>(() => new Refund(Guid.NewGuid(), TokenAmount.FromTokens(1), " ", ChainId.LocalDev, null, T0)).Message.ShouldBe("A refund reason is required.");
        Should.Throw<DomainException>(() => new Refund(Guid.Empty, TokenAmount.FromTokens(1), "x", ChainId.LocalDev, null, T0)).Message.ShouldBe("The purchase is required.");
    }
}
