using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using static NeuroData.Tests.Unit.Domain.DomainBuilders;

namespace NeuroData.Tests.Unit.Domain.Commerce;

public sealed class EscrowTests
{
    private static readonly TokenAmount Ten = TokenAmount.FromTokens(10);

    [Fact]
    public void New_IsFunded_WithOneTrancheForTheWholeAmount()
    {
        var purchase = Guid.NewGuid();
        var e = new Escrow(ChainId.LocalDev, 3, purchase, BuyerAddress, SellerAddress, Ten, TokenAmount.ParseTokens("0.025"), T0.AddDays(3), T0);

        e.State.ShouldBe(EscrowState.Funded);
        e.OnChainId.ShouldBe(3);
        e.PurchaseId.ShouldBe(purchase);
        e.Amount.ShouldBe(Ten);
        e.Fee.ShouldBe(TokenAmount.ParseTokens("0.025"));
        e.FundedAt.ShouldBe(T0);
        e.Deadline.ShouldBe(T0.AddDays(3));
        e.IsClosed.ShouldBeFalse();
        e.ReleasedAmount.ShouldBe(TokenAmount.Zero);
        var tranche = e.Milestones.ShouldHaveSingleItem();
        tranche.Amount.ShouldBe(Ten);
        tranche.Index.ShouldBe(0);
        tranche.EscrowId.ShouldBe(e.Id);
        tranche.ReleasedAt.ShouldBeNull();
    }

    [Fact]
    public void New_WithMilestones_KeepsThemInOrder()
    {
        var e = FundedEscrow(Ten, [TokenAmount.FromTokens(3), TokenAmount.FromTokens(3), TokenAmount.FromTokens(4)]);

        e.Milestones.Select(m => m.Index).ShouldBe([0, 1, 2]);
        e.Milestones.Select(m => m.Amount).ShouldBe([TokenAmount.FromTokens(3), TokenAmount.FromTokens(3), TokenAmount.FromTokens(4)]);
        FundedEscrow(Ten, []).Milestones.Count.ShouldBe(1, "an empty list means one tranche");
        new Escrow(ChainId.LocalDev, 1, Guid.Empty, BuyerAddress, SellerAddress, Ten, TokenAmount.Zero, T0.AddDays(1), T0).PurchaseId.ShouldBeNull();
    }

    public static readonly TheoryData<string, Func<Escrow>> InvalidEscrows = new()
    {
        { "buyer and seller must be different", () => new Escrow(ChainId.LocalDev, 1, null, BuyerAddress, EthAddress.Parse(BuyerAddress.Value.ToLowerInvariant()), Ten, TokenAmount.Zero, T0.AddDays(1), T0) },
        { "cannot be the zero address", () => new Escrow(ChainId.LocalDev, 1, null, EthAddress.Zero, SellerAddress, Ten, TokenAmount.Zero, T0.AddDays(1), T0) },
        { "cannot be the zero address", () => new Escrow(ChainId.LocalDev, 1, null, BuyerAddress, EthAddress.Zero, Ten, TokenAmount.Zero, T0.AddDays(1), T0) },
        { "must hold a positive amount", () => new Escrow(ChainId.LocalDev, 1, null, BuyerAddress, SellerAddress, TokenAmount.Zero, TokenAmount.Zero, T0.AddDays(1), T0) },
        { "deadline must be after", () => new Escrow(ChainId.LocalDev, 1, null, BuyerAddress, SellerAddress, Ten, TokenAmount.Zero, T0, T0) },
        { "deadline must be after", () => new Escrow(ChainId.LocalDev, 1, null, BuyerAddress, SellerAddress, Ten, TokenAmount.Zero, T0.AddSeconds(-1), T0) },
        { "An on-chain escrow id cannot be negative", () => new Escrow(ChainId.LocalDev, -1, null, BuyerAddress, SellerAddress, Ten, TokenAmount.Zero, T0.AddDays(1), T0) },
        { "at most 20 milestones", () => FundedEscrow(TokenAmount.FromUnits(21), [.. Enumerable.Repeat(TokenAmount.FromUnits(1), 21)]) },
        { "Every milestone must release a positive amount", () => FundedEscrow(Ten, [Ten, TokenAmount.Zero]) },
        { "The milestones add up to 9 NCR, not the escrowed 10 NCR.", () => FundedEscrow(Ten, [TokenAmount.FromTokens(4), TokenAmount.FromTokens(5)]) },
        { "The milestones add up to 11 NCR", () => FundedEscrow(Ten, [TokenAmount.FromTokens(6), TokenAmount.FromTokens(5)]) },
    };

    [Theory]
    [MemberData(nameof(InvalidEscrows))]
    public void New_Invalid_IsRejected(string expected, Func<Escrow> create)
    {
        Should.Throw<DomainException>(create).Message.ShouldContain(expected);
    }

    [Fact]
    public void New_WithTwentyMilestones_IsAccepted()
    {
        FundedEscrow(TokenAmount.FromUnits(20), [.. Enumerable.Repeat(TokenAmount.FromUnits(1), 20)]).Milestones.Count.ShouldBe(Escrow.MaxMilestones);
    }

    // ---------------------------------------------------------------- allowed transitions

    [Fact]
    public void Release_FromFunded_PaysEverythingToTheSeller()
    {
        var e = FundedEscrow();

        e.Release(T0.AddDays(1));

        e.State.ShouldBe(EscrowState.Released);
        e.IsClosed.ShouldBeTrue();
        e.ClosedAt.ShouldBe(T0.AddDays(1));
        e.ReleasedAmount.ShouldBe(e.Amount);
        e.Milestones.ShouldAllBe(m => m.ReleasedAt == T0.AddDays(1));
    }

    [Fact]
    public void ReleaseMilestone_ReleasesOneTranche_AndTheLastOneClosesTheEscrow()
    {
        var e = FundedEscrow(Ten, [TokenAmount.FromTokens(3), TokenAmount.FromTokens(7)]);

        e.ReleaseMilestone(1, T0.AddHours(1));
        e.State.ShouldBe(EscrowState.Funded);
        e.ReleasedAmount.ShouldBe(TokenAmount.FromTokens(7));

        e.ReleaseMilestone(0, T0.AddHours(2));
        e.State.ShouldBe(EscrowState.Released);
        e.ReleasedAmount.ShouldBe(Ten);
        e.ClosedAt.ShouldBe(T0.AddHours(2));
    }

    [Fact]
    public void ReleaseMilestone_UnknownOrAlreadyReleased_IsRejected()
    {
        var e = FundedEscrow(Ten, [TokenAmount.FromTokens(3), TokenAmount.FromTokens(7)]);
        e.ReleaseMilestone(0, T0.AddHours(1));

        Should.Throw<DomainException>(() => e.ReleaseMilestone(0, T0.AddHours(2))).Message.ShouldBe("Milestone 1 of escrow #7 is already released.");
        Should.Throw<DomainException>(() => e.ReleaseMilestone(2, T0.AddHours(2))).Message.ShouldBe("Escrow #7 has no milestone 3.");
        Should.Throw<DomainException>(() => e.ReleaseMilestone(-1, T0.AddHours(2))).Message.ShouldBe("Escrow #7 has no milestone 0.");
        e.Milestones.Single(m => m.Index == 0).ReleasedAt.ShouldBe(T0.AddHours(1));
        e.State.ShouldBe(EscrowState.Funded);
    }

    [Fact]
    public void Release_AfterSomeMilestones_ReleasesTheRest_KeepingEarlierReleaseTimes()
    {
        var e = FundedEscrow(Ten, [TokenAmount.FromTokens(3), TokenAmount.FromTokens(7)]);
        e.ReleaseMilestone(0, T0.AddHours(1));

        e.Release(T0.AddDays(4));

        e.State.ShouldBe(EscrowState.Released);
        e.Milestones.Select(m => m.ReleasedAt).ShouldBe([T0.AddHours(1), T0.AddDays(4)]);
    }

    [Fact]
    public void Refund_FromFunded_ClosesAsRefunded()
    {
        var e = FundedEscrow();

        e.Refund(T0.AddHours(5));

        e.State.ShouldBe(EscrowState.Refunded);
        e.IsClosed.ShouldBeTrue();
        e.ClosedAt.ShouldBe(T0.AddHours(5));
        e.ReleasedAmount.ShouldBe(TokenAmount.Zero);
    }

    [Fact]
    public void Refund_AfterAReleasedMilestone_RefundsTheRest_LikeTheContract()
    {
        // Regression: the contract's agreeRefund refunds whatever is still held; the mirror used to refuse it, so
        // indexing a legitimate EscrowRefunded event would have failed.
        var e = FundedEscrow(Ten, [TokenAmount.FromTokens(3), TokenAmount.FromTokens(7)]);
        e.ReleaseMilestone(0, T0.AddHours(1));

        e.Refund(T0.AddHours(2));

        e.State.ShouldBe(EscrowState.Refunded);
        e.ReleasedAmount.ShouldBe(TokenAmount.FromTokens(3), "the released tranche stays with the seller");
    }

    [Fact]
    public void OpenDispute_BeforeTheDeadline_MovesToDisputed()
    {
        var e = FundedEscrow();
        e.CanDispute(T0.AddDays(3).AddTicks(-1)).ShouldBeTrue();

        e.OpenDispute(T0.AddDays(3).AddTicks(-1));

        e.State.ShouldBe(EscrowState.Disputed);
        e.DisputedAt.ShouldBe(T0.AddDays(3).AddTicks(-1));
        e.IsClosed.ShouldBeFalse();
        e.CanDispute(T0).ShouldBeFalse();
        e.CanAutoRelease(T0.AddDays(10)).ShouldBeFalse("a disputed escrow waits for its ruling");
    }

    [Fact]
    public void OpenDispute_AtOrAfterTheDeadline_IsRejected()
    {
        var e = FundedEscrow();
        e.CanDispute(T0.AddDays(3)).ShouldBeFalse();

        Should.Throw<DomainException>(() => e.OpenDispute(T0.AddDays(3)))
            .Message.ShouldBe("The review period of escrow #7 ended at 2026-11-28 10:00:00Z; it can no longer be disputed.");
        e.State.ShouldBe(EscrowState.Funded);
        e.DisputedAt.ShouldBeNull();
    }

    [Fact]
    public void OpenDispute_AfterAReleasedMilestone_IsAllowed_LikeTheContract()
    {
        // Regression: the contract lets the buyer dispute what is still held after confirming some tranches.
        var e = FundedEscrow(Ten, [TokenAmount.FromTokens(3), TokenAmount.FromTokens(7)]);
        e.ReleaseMilestone(0, T0.AddHours(1));
        e.CanDispute(T0.AddHours(2)).ShouldBeTrue();

        e.OpenDispute(T0.AddHours(2));

        e.State.ShouldBe(EscrowState.Disputed);
    }

    [Fact]
    public void CanAutoRelease_OnlyWhenFundedAndTheDeadlineHasPassed()
    {
        var e = FundedEscrow();

        e.CanAutoRelease(T0.AddDays(3).AddTicks(-1)).ShouldBeFalse();
        e.CanAutoRelease(T0.AddDays(3)).ShouldBeTrue();
        e.Release(T0.AddDays(3));
        e.CanAutoRelease(T0.AddDays(4)).ShouldBeFalse();
    }

    [Theory]
    [InlineData(DisputeRuling.Release, null, 10_000)]
    [InlineData(DisputeRuling.Release, 1234, 10_000)] // the share is ignored for a full release
    [InlineData(DisputeRuling.Refund, null, 0)]
    [InlineData(DisputeRuling.Refund, 5000, 0)]
    [InlineData(DisputeRuling.Split, 1, 1)]
    [InlineData(DisputeRuling.Split, 6000, 6000)]
    [InlineData(DisputeRuling.Split, 9999, 9999)]
    public void Resolve_FromDisputed_RecordsTheOutcome(DisputeRuling ruling, int? share, int expectedShare)
    {
        var e = FundedEscrow();
        e.OpenDispute(T0.AddHours(1));

        e.Resolve(ruling, share, T0.AddDays(1));

        e.State.ShouldBe(EscrowState.Resolved);
        e.Resolution.ShouldBe(ruling);
        e.SellerShareBps.ShouldBe(expectedShare);
        e.ClosedAt.ShouldBe(T0.AddDays(1));
        e.IsClosed.ShouldBeTrue();
    }

    [Theory]
    [InlineData(DisputeRuling.Split, null)]
    [InlineData(DisputeRuling.Split, 0)]
    [InlineData(DisputeRuling.Split, 10_000)]
    [InlineData(DisputeRuling.Split, -1)]
    [InlineData((DisputeRuling)9, 5000)]
    public void Resolve_WithAnInvalidShareOrRuling_ChangesNothing(DisputeRuling ruling, int? share)
    {
        var e = FundedEscrow();
        e.OpenDispute(T0.AddHours(1));

        Should.Throw<DomainException>(() => e.Resolve(ruling, share, T0.AddDays(1)));

        e.State.ShouldBe(EscrowState.Disputed);
        e.Resolution.ShouldBeNull();
        e.SellerShareBps.ShouldBeNull();
        e.ClosedAt.ShouldBeNull();
    }

    // ---------------------------------------------------------------- every illegal transition

    public enum EscrowAction
    {
        Release,
        ReleaseMilestone,
        Refund,
        OpenDispute,
        Resolve,
    }

    private static Escrow InState(EscrowState state)
    {
        var e = FundedEscrow(Ten, [TokenAmount.FromTokens(4), TokenAmount.FromTokens(6)]);
        switch (state)
        {
            case EscrowState.Released: e.Release(T0.AddHours(1)); break;
            case EscrowState.Refunded: e.Refund(T0.AddHours(1)); break;
            case EscrowState.Disputed: e.OpenDispute(T0.AddHours(1)); break;
            case EscrowState.Resolved: e.OpenDispute(T0.AddHours(1)); e.Resolve(DisputeRuling.Refund, null, T0.AddHours(2)); break;
        }

        return e;
    }

    private static void Do(Escrow e, EscrowAction action)
    {
        var now = T0.AddHours(3);
        switch (action)
        {
            case EscrowAction.Release: e.Release(now); break;
            case EscrowAction.ReleaseMilestone: e.ReleaseMilestone(1, now); break;
            case EscrowAction.Refund: e.Refund(now); break;
            case EscrowAction.OpenDispute: e.OpenDispute(now); break;
            case EscrowAction.Resolve: e.Resolve(DisputeRuling.Release, null, now); break;
        }
    }

    public static TheoryData<EscrowState, EscrowAction> IllegalTransitions()
    {
        var allowed = new HashSet<(EscrowState, EscrowAction)>
        {
            (EscrowState.Funded, EscrowAction.Release),
            (EscrowState.Funded, EscrowAction.ReleaseMilestone),
            (EscrowState.Funded, EscrowAction.Refund),
            (EscrowState.Funded, EscrowAction.OpenDispute),
            (EscrowState.Disputed, EscrowAction.Resolve),
        };
        var data = new TheoryData<EscrowState, EscrowAction>();
        foreach (var state in Enum.GetValues<EscrowState>())
        {
            foreach (var action in Enum.GetValues<EscrowAction>())
            {
                if (!allowed.Contains((state, action)))
                {
                    data.Add(state, action);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IllegalTransitions))]
    public void IllegalTransition_IsRejected_WithAClearMessage_AndChangesNothing(EscrowState state, EscrowAction action)
    {
        var e = InState(state);
        var closedAt = e.ClosedAt;
        var released = e.ReleasedAmount;

        var ex = Should.Throw<DomainException>(() => Do(e, action));

        ex.Message.ShouldStartWith("Cannot ");
        ex.Message.ShouldContain("escrow #7");
        ex.Message.ShouldContain(state.ToString().ToLowerInvariant());
        if (e.IsClosed)
        {
            ex.Message.ShouldEndWith("and a closed escrow never changes.");
        }
        else
        {
            ex.Message.ShouldContain(action == EscrowAction.Resolve ? "only a disputed escrow allows that" : "only a funded escrow allows that");
        }

        e.State.ShouldBe(state);
        e.ClosedAt.ShouldBe(closedAt);
        e.ReleasedAmount.ShouldBe(released);
    }

    [Fact]
    public void IllegalTransitions_CoverEveryStateAndAction()
    {
        // 5 states x 5 actions, 5 of them allowed.
        IllegalTransitions().Count.ShouldBe(20);
    }
}
