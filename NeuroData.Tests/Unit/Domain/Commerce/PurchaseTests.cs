using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using static NeuroData.Tests.Unit.Domain.DomainBuilders;

namespace NeuroData.Tests.Unit.Domain.Commerce;

public sealed class PurchaseTests
{
    private const int FeeBps = 25;

    private static Purchase Pending()
    {
        var d = Live();
        return Purchase.Start(d, d.LatestReadyVersion!, Guid.NewGuid(), DatasetAccessTypes.Download, FeeBps, T0);
    }

    private static Purchase Confirmed()
    {
        var p = Pending();
        p.Confirm(1, 2, T0.AddMinutes(1));
        return p;
    }

    [Fact]
    public void Start_OnALiveDataset_TakesItsPriceAndTheFee()
    {
        var d = Live();
        d.ChangePrice(TokenAmount.ParseTokens("12.34"));
        var buyer = Guid.NewGuid();

        var p = Purchase.Start(d, d.LatestReadyVersion!, buyer, DatasetAccessTypes.TrainingOnly, FeeBps, T0);

        p.Status.ShouldBe(PurchaseStatus.Pending);
        p.BuyerId.ShouldBe(buyer);
        p.SellerId.ShouldBe(d.SellerId);
        p.DatasetId.ShouldBe(d.Id);
        p.DatasetVersionId.ShouldBe(d.LatestReadyVersion!.Id);
        p.AccessType.ShouldBe(DatasetAccessTypes.TrainingOnly);
        p.Price.ShouldBe(TokenAmount.ParseTokens("12.34"));
        p.Fee.ShouldBe(TokenAmount.ParseTokens("0.03085"), "0.25% of 12.34");
        p.CreatedAt.ShouldBe(T0);
        p.GrantsAccess.ShouldBeFalse();
    }

    [Fact]
    public void Start_OnADatasetThatIsNotLive_IsRejected()
    {
        var d = PendingReview();

        Should.Throw<DomainException>(() => Purchase.Start(d, d.LatestReadyVersion!, Guid.NewGuid(), DatasetAccessTypes.Download, FeeBps, T0))
            .Message.ShouldBe("'Weather in Berlin' is not on sale (waiting for review).");
    }

    [Fact]
    public void Start_ByTheSeller_IsRejected()
    {
        var d = Live();

        Should.Throw<DomainException>(() => Purchase.Start(d, d.LatestReadyVersion!, d.SellerId, DatasetAccessTypes.Download, FeeBps, T0))
            .Message.ShouldBe("You cannot buy your own dataset.");
        Should.Throw<DomainException>(() => Purchase.Start(d, d.LatestReadyVersion!, Guid.Empty, DatasetAccessTypes.Download, FeeBps, T0))
            .Message.ShouldBe("The buyer is required.");
    }

    [Fact]
    public void Start_WithAVersionThatIsNotReadyOrNotOfThisDataset_IsRejected()
    {
        var d = Live();
        var processing = d.AddVersion(CidB, 10, DatasetFormat.Csv, Sha256, [1], T0);
        var otherDataset = Live();

        Should.Throw<DomainException>(() => Purchase.Start(d, processing, Guid.NewGuid(), DatasetAccessTypes.Download, FeeBps, T0))
            .Message.ShouldBe("Version 2 is not available for purchase.");
        Should.Throw<DomainException>(() => Purchase.Start(d, otherDataset.LatestReadyVersion!, Guid.NewGuid(), DatasetAccessTypes.Download, FeeBps, T0))
            .Message.ShouldBe("Version 1 is not available for purchase.");

        var withdrawn = d.LatestReadyVersion!;
        withdrawn.Withdraw();
        Should.Throw<DomainException>(() => Purchase.Start(d, withdrawn, Guid.NewGuid(), DatasetAccessTypes.Download, FeeBps, T0));
    }

    [Theory]
    [InlineData(DatasetAccessTypes.TrainingOnly)]
    [InlineData(DatasetAccessTypes.None)]
    [InlineData(DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly)]
    public void Start_WithAnAccessTypeNotOffered_OrNotExactlyOne_IsRejected(DatasetAccessTypes access)
    {
        var d = Live(access: DatasetAccessTypes.Download);

        Should.Throw<DomainException>(() => Purchase.Start(d, d.LatestReadyVersion!, Guid.NewGuid(), access, FeeBps, T0))
            .Message.ShouldBe($"'Weather in Berlin' does not offer {access} access.");
    }

    [Fact]
    public void Start_WithAFeeOutsideZeroToTenThousandBps_IsRejected()
    {
        var d = Live();

        Should.Throw<ArgumentOutOfRangeException>(() => Purchase.Start(d, d.LatestReadyVersion!, Guid.NewGuid(), DatasetAccessTypes.Download, 10_001, T0));
        Purchase.Start(d, d.LatestReadyVersion!, Guid.NewGuid(), DatasetAccessTypes.Download, 0, T0).Fee.ShouldBe(TokenAmount.Zero);
    }

    [Fact]
    public void AttachTransaction_OnlyWhilePending()
    {
        var p = Pending();
        var tx = Guid.NewGuid();

        p.AttachTransaction(tx);
        p.ChainTransactionId.ShouldBe(tx);
        Should.Throw<DomainException>(() => p.AttachTransaction(Guid.Empty)).Message.ShouldBe("The transaction is required.");
        p.ChainTransactionId.ShouldBe(tx);

        var confirmed = Confirmed();
        Should.Throw<DomainException>(() => confirmed.AttachTransaction(Guid.NewGuid()))
            .Message.ShouldBe("A transaction can only be attached to a pending purchase; this one is Confirmed.");
    }

    [Fact]
    public void Confirm_RecordsTheChainIds_AndGrantsAccess()
    {
        var p = Pending();

        p.Confirm(11, 12, T0.AddMinutes(3));

        p.Status.ShouldBe(PurchaseStatus.Confirmed);
        p.OnChainPurchaseId.ShouldBe(11);
        p.OnChainEscrowId.ShouldBe(12);
        p.ConfirmedAt.ShouldBe(T0.AddMinutes(3));
        p.GrantsAccess.ShouldBeTrue();
    }

    [Fact]
    public void Confirm_AgainWithTheSameIds_IsANoOp_ButOtherIdsAreRejected()
    {
        var p = Confirmed();

        p.Confirm(1, 2, T0.AddHours(5));
        p.ConfirmedAt.ShouldBe(T0.AddMinutes(1));

        Should.Throw<DomainException>(() => p.Confirm(1, 3, T0.AddHours(5))).Message.ShouldBe("This purchase is confirmed and cannot be confirmed.");
        p.OnChainEscrowId.ShouldBe(2);
    }

    [Theory]
    [InlineData(-1, 2, "An on-chain purchase id cannot be negative")]
    [InlineData(1, -2, "An on-chain escrow id cannot be negative")]
    public void Confirm_WithANegativeId_ChangesNothing(long purchaseId, long escrowId, string expected)
    {
        // Regression: the purchase id used to be stored before the escrow id was checked.
        var p = Pending();

        Should.Throw<DomainException>(() => p.Confirm(purchaseId, escrowId, T0)).Message.ShouldContain(expected);

        p.Status.ShouldBe(PurchaseStatus.Pending);
        p.OnChainPurchaseId.ShouldBeNull();
        p.OnChainEscrowId.ShouldBeNull();
        p.ConfirmedAt.ShouldBeNull();
    }

    [Fact]
    public void MarkFailed_FromPending_EndsWithoutAccess()
    {
        var p = Pending();

        Should.Throw<DomainException>(() => p.MarkFailed("  ", T0)).Message.ShouldBe("A failure reason is required.");
        p.Status.ShouldBe(PurchaseStatus.Pending);

        p.MarkFailed("execution reverted: PriceAboveMax", T0.AddMinutes(2));

        p.Status.ShouldBe(PurchaseStatus.Failed);
        p.FailureReason.ShouldBe("execution reverted: PriceAboveMax");
        p.ClosedAt.ShouldBe(T0.AddMinutes(2));
        p.GrantsAccess.ShouldBeFalse();
    }

    [Fact]
    public void Complete_KeepsAccess_Refund_EndsIt()
    {
        var completed = Confirmed();
        completed.Complete(T0.AddDays(3));
        completed.Status.ShouldBe(PurchaseStatus.Completed);
        completed.ClosedAt.ShouldBe(T0.AddDays(3));
        completed.GrantsAccess.ShouldBeTrue();

        var refunded = Confirmed();
        refunded.MarkRefunded(T0.AddDays(1));
        refunded.Status.ShouldBe(PurchaseStatus.Refunded);
        refunded.ClosedAt.ShouldBe(T0.AddDays(1));
        refunded.GrantsAccess.ShouldBeFalse();
    }

    // ---------------------------------------------------------------- every illegal transition

    public enum PurchaseAction
    {
        Confirm,
        MarkFailed,
        Complete,
        MarkRefunded,
    }

    private static Purchase InStatus(PurchaseStatus status)
    {
        var p = Pending();
        switch (status)
        {
            case PurchaseStatus.Confirmed: p.Confirm(1, 2, T0); break;
            case PurchaseStatus.Completed: p.Confirm(1, 2, T0); p.Complete(T0); break;
            case PurchaseStatus.Refunded: p.Confirm(1, 2, T0); p.MarkRefunded(T0); break;
            case PurchaseStatus.Failed: p.MarkFailed("dropped", T0); break;
        }

        return p;
    }

    public static TheoryData<PurchaseStatus, PurchaseAction, string> IllegalTransitions()
    {
        var allowedFrom = new Dictionary<PurchaseAction, (PurchaseStatus From, string Verb)>
        {
            [PurchaseAction.Confirm] = (PurchaseStatus.Pending, "confirmed"),
            [PurchaseAction.MarkFailed] = (PurchaseStatus.Pending, "marked failed"),
            [PurchaseAction.Complete] = (PurchaseStatus.Confirmed, "completed"),
            [PurchaseAction.MarkRefunded] = (PurchaseStatus.Confirmed, "refunded"),
        };
        var data = new TheoryData<PurchaseStatus, PurchaseAction, string>();
        foreach (var status in Enum.GetValues<PurchaseStatus>())
        {
            foreach (var (action, (from, verb)) in allowedFrom)
            {
                if (status != from)
                {
                    data.Add(status, action, $"This purchase is {status.ToString().ToLowerInvariant()} and cannot be {verb}.");
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IllegalTransitions))]
    public void IllegalTransition_IsRejected_AndChangesNothing(PurchaseStatus status, PurchaseAction action, string message)
    {
        var p = InStatus(status);
        var closedAt = p.ClosedAt;

        Action act = action switch
        {
            PurchaseAction.Confirm => () => p.Confirm(5, 6, T0.AddDays(9)),
            PurchaseAction.MarkFailed => () => p.MarkFailed("late", T0.AddDays(9)),
            PurchaseAction.Complete => () => p.Complete(T0.AddDays(9)),
            _ => () => p.MarkRefunded(T0.AddDays(9)),
        };

        Should.Throw<DomainException>(act).Message.ShouldBe(message);
        p.Status.ShouldBe(status);
        p.ClosedAt.ShouldBe(closedAt);
    }
}
