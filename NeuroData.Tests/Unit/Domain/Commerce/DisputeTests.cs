using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using static NeuroData.Tests.Unit.Domain.DomainBuilders;

namespace NeuroData.Tests.Unit.Domain.Commerce;

public sealed class DisputeTests
{
    private static readonly Guid Buyer = Guid.NewGuid();
    private static readonly Guid Seller = Guid.NewGuid();
    private static readonly Guid Arbitrator = Guid.NewGuid();
    private static readonly TokenAmount Bond = TokenAmount.ParseTokens("0.5");

    private static (Escrow Escrow, Dispute Dispute) Opened(DisputeMode mode = DisputeMode.Arbitrator)
    {
        var escrow = FundedEscrow();
        var dispute = Dispute.Open(escrow, Buyer, Buyer, Seller, "The file is truncated", Bond, mode, T0.AddHours(1));
        return (escrow, dispute);
    }

    private static (Escrow Escrow, Dispute Dispute) WithArbitrator()
    {
        var (escrow, dispute) = Opened();
        dispute.AssignArbitrator(Arbitrator);
        return (escrow, dispute);
    }

    [Fact]
    public void Open_ByTheBuyer_DisputesTheEscrow()
    {
        var (escrow, dispute) = Opened();

        escrow.State.ShouldBe(EscrowState.Disputed);
        dispute.Status.ShouldBe(DisputeStatus.Open);
        dispute.EscrowId.ShouldBe(escrow.Id);
        dispute.OpenedById.ShouldBe(Buyer);
        dispute.Reason.ShouldBe("The file is truncated");
        dispute.Bond.ShouldBe(Bond);
        dispute.Mode.ShouldBe(DisputeMode.Arbitrator);
        dispute.OpenedAt.ShouldBe(T0.AddHours(1));
        dispute.Ruling.ShouldBeNull();
        dispute.IsParty(Buyer).ShouldBeTrue();
        dispute.IsParty(Seller).ShouldBeTrue();
        dispute.IsParty(Arbitrator).ShouldBeFalse();
    }

    [Fact]
    public void Open_BySomeoneElse_IsRejected_AndTheEscrowStaysFunded()
    {
        var escrow = FundedEscrow();

        Should.Throw<DomainException>(() => Dispute.Open(escrow, Seller, Buyer, Seller, "x", Bond, DisputeMode.Arbitrator, T0))
            .Message.ShouldBe("Only the buyer can open a dispute.");
        escrow.State.ShouldBe(EscrowState.Funded);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Open_WithoutAReason_IsRejected_AndTheEscrowStaysFunded(string? reason)
    {
        var escrow = FundedEscrow();

        Should.Throw<DomainException>(() => Dispute.Open(escrow, Buyer, Buyer, Seller, reason!, Bond, DisputeMode.Arbitrator, T0))
            .Message.ShouldBe("A dispute reason is required.");
        escrow.State.ShouldBe(EscrowState.Funded);
    }

    [Fact]
    public void Open_WithMissingIdsOrTooLongReason_IsRejected()
    {
        var escrow = FundedEscrow();

        Should.Throw<DomainException>(() => Dispute.Open(escrow, Guid.Empty, Buyer, Seller, "x", Bond, DisputeMode.Arbitrator, T0)).Message.ShouldBe("Who opens the dispute is required.");
        Should.Throw<DomainException>(() => Dispute.Open(escrow, Buyer, Buyer, Guid.Empty, "x", Bond, DisputeMode.Arbitrator, T0)).Message.ShouldBe("The seller is required.");
        Should.Throw<DomainException>(() => Dispute.Open(escrow, Buyer, Buyer, Seller, new string('r', 4001), Bond, DisputeMode.Arbitrator, T0)).Message.ShouldContain("at most 4000");
        Should.Throw<ArgumentNullException>(() => Dispute.Open(null!, Buyer, Buyer, Seller, "x", Bond, DisputeMode.Arbitrator, T0));
        escrow.State.ShouldBe(EscrowState.Funded);
    }

    [Fact]
    public void Open_AfterTheDeadline_OrOnAClosedEscrow_IsRejected()
    {
        var late = FundedEscrow();
        Should.Throw<DomainException>(() => Dispute.Open(late, Buyer, Buyer, Seller, "x", Bond, DisputeMode.Arbitrator, T0.AddDays(3)))
            .Message.ShouldContain("can no longer be disputed");

        var released = FundedEscrow();
        released.Release(T0.AddHours(1));
        Should.Throw<DomainException>(() => Dispute.Open(released, Buyer, Buyer, Seller, "x", Bond, DisputeMode.Arbitrator, T0.AddHours(2)))
            .Message.ShouldContain("a closed escrow never changes");

        var (twice, _) = Opened();
        Should.Throw<DomainException>(() => Dispute.Open(twice, Buyer, Buyer, Seller, "again", Bond, DisputeMode.Arbitrator, T0.AddHours(2)))
            .Message.ShouldContain("it is disputed");
    }

    // ---------------------------------------------------------------- evidence

    [Fact]
    public void AddEvidence_ByEitherParty()
    {
        var (_, dispute) = Opened();

        dispute.AddEvidence(CidA, Buyer, "  screenshot ", T0.AddHours(2));
        dispute.AddEvidence(CidB, Seller, null, T0.AddHours(3));

        dispute.Evidence.Count.ShouldBe(2);
        var first = dispute.Evidence.First();
        first.Cid.ShouldBe(CidA);
        first.AddedById.ShouldBe(Buyer);
        first.Description.ShouldBe("screenshot");
        first.DisputeId.ShouldBe(dispute.Id);
        first.AddedAt.ShouldBe(T0.AddHours(2));
    }

    [Fact]
    public void AddEvidence_ByAnOutsider_OrTwice_OrTooLong_IsRejected()
    {
        var (_, dispute) = Opened();
        dispute.AddEvidence(CidA, Buyer, null, T0);

        Should.Throw<DomainException>(() => dispute.AddEvidence(CidB, Arbitrator, null, T0)).Message.ShouldBe("Only the buyer or the seller can add evidence.");
        Should.Throw<DomainException>(() => dispute.AddEvidence(CidA, Seller, null, T0)).Message.ShouldBe($"Evidence {CidA} is already attached.");
        Should.Throw<DomainException>(() => dispute.AddEvidence(CidB, Seller, new string('d', 501), T0)).Message.ShouldContain("at most 500");
        Should.Throw<ArgumentNullException>(() => dispute.AddEvidence(null!, Seller, null, T0));
        dispute.Evidence.Count.ShouldBe(1);
    }

    [Fact]
    public void AddEvidence_AtMostTwentyPieces()
    {
        var (_, dispute) = Opened();
        for (var i = 0; i < Dispute.MaxEvidence; i++)
        {
            dispute.AddEvidence(Cid.Parse(CidFor(i)), Buyer, null, T0);
        }

        Should.Throw<DomainException>(() => dispute.AddEvidence(Cid.Parse(CidFor(99)), Buyer, null, T0)).Message.ShouldBe("A dispute holds at most 20 pieces of evidence.");
        dispute.Evidence.Count.ShouldBe(20);
    }

    // ---------------------------------------------------------------- arbitrator

    [Fact]
    public void AssignArbitrator_OnlyANonPartyInArbitratorMode()
    {
        var (_, dispute) = Opened();

        Should.Throw<DomainException>(() => dispute.AssignArbitrator(Buyer)).Message.ShouldBe("An arbitrator cannot rule on a dispute they are party to.");
        Should.Throw<DomainException>(() => dispute.AssignArbitrator(Seller)).Message.ShouldBe("An arbitrator cannot rule on a dispute they are party to.");
        Should.Throw<DomainException>(() => dispute.AssignArbitrator(Guid.Empty)).Message.ShouldBe("The arbitrator is required.");
        dispute.ArbitratorId.ShouldBeNull();

        dispute.AssignArbitrator(Arbitrator);
        dispute.ArbitratorId.ShouldBe(Arbitrator);

        var (_, vote) = Opened(DisputeMode.CommunityVote);
        Should.Throw<DomainException>(() => vote.AssignArbitrator(Arbitrator)).Message.ShouldBe("This dispute is decided by a community vote, not an arbitrator.");
    }

    [Theory]
    [InlineData(DisputeRuling.Release, null, 10_000)]
    [InlineData(DisputeRuling.Refund, null, 0)]
    [InlineData(DisputeRuling.Split, 2500, 2500)]
    public void Rule_ByTheAssignedArbitrator_ResolvesDisputeAndEscrow(DisputeRuling ruling, int? share, int expectedShare)
    {
        var (escrow, dispute) = WithArbitrator();

        dispute.Rule(escrow, Arbitrator, ruling, share, "  Half the rows are missing  ", T0.AddDays(1));

        dispute.Status.ShouldBe(DisputeStatus.Ruled);
        dispute.Ruling.ShouldBe(ruling);
        dispute.SellerShareBps.ShouldBe(expectedShare);
        dispute.RulingReason.ShouldBe("Half the rows are missing");
        dispute.RuledAt.ShouldBe(T0.AddDays(1));
        escrow.State.ShouldBe(EscrowState.Resolved);
        escrow.Resolution.ShouldBe(ruling);
        escrow.SellerShareBps.ShouldBe(expectedShare);
    }

    [Fact]
    public void Rule_ByAnotherUser_OrWithoutAnAssignedArbitrator_IsRejected()
    {
        var (escrow, unassigned) = Opened();
        Should.Throw<DomainException>(() => unassigned.Rule(escrow, Arbitrator, DisputeRuling.Refund, null, "r", T0))
            .Message.ShouldBe("Only the arbitrator assigned to this dispute can rule on it.");

        var (escrow2, dispute) = WithArbitrator();
        Should.Throw<DomainException>(() => dispute.Rule(escrow2, Guid.NewGuid(), DisputeRuling.Refund, null, "r", T0))
            .Message.ShouldBe("Only the arbitrator assigned to this dispute can rule on it.");

        dispute.Status.ShouldBe(DisputeStatus.Open);
        escrow2.State.ShouldBe(EscrowState.Disputed);
    }

    [Fact]
    public void Rule_WithAnInvalidSplit_OrWithoutReasons_ChangesNeitherDisputeNorEscrow()
    {
        var (escrow, dispute) = WithArbitrator();

        Should.Throw<DomainException>(() => dispute.Rule(escrow, Arbitrator, DisputeRuling.Split, 10_000, "r", T0)).Message.ShouldContain("between 1 and 9,999 basis points");
        Should.Throw<DomainException>(() => dispute.Rule(escrow, Arbitrator, DisputeRuling.Split, null, "r", T0));
        Should.Throw<DomainException>(() => dispute.Rule(escrow, Arbitrator, DisputeRuling.Refund, null, " ", T0)).Message.ShouldBe("The reasons for the ruling is required.");

        dispute.Status.ShouldBe(DisputeStatus.Open);
        dispute.Ruling.ShouldBeNull();
        escrow.State.ShouldBe(EscrowState.Disputed);
    }

    [Fact]
    public void Rule_OnADifferentEscrow_IsRejected()
    {
        var (escrow, dispute) = WithArbitrator();
        var other = FundedEscrow(onChainId: 8);
        other.OpenDispute(T0.AddHours(1));

        Should.Throw<DomainException>(() => dispute.Rule(other, Arbitrator, DisputeRuling.Refund, null, "r", T0)).Message.ShouldBe("This ruling was given for a different escrow.");

        other.State.ShouldBe(EscrowState.Disputed);
        escrow.State.ShouldBe(EscrowState.Disputed);
        dispute.Status.ShouldBe(DisputeStatus.Open);
    }

    [Fact]
    public void Rule_InCommunityMode_IsRejected()
    {
        var (escrow, dispute) = Opened(DisputeMode.CommunityVote);

        Should.Throw<DomainException>(() => dispute.Rule(escrow, Arbitrator, DisputeRuling.Refund, null, "r", T0)).Message.ShouldContain("community vote");
    }

    [Fact]
    public void ARuling_IsFinal()
    {
        var (escrow, dispute) = WithArbitrator();
        dispute.Rule(escrow, Arbitrator, DisputeRuling.Refund, null, "No data", T0.AddDays(1));

        Should.Throw<DomainException>(() => dispute.Rule(escrow, Arbitrator, DisputeRuling.Release, null, "changed my mind", T0.AddDays(2)))
            .Message.ShouldBe("Cannot rule on this dispute: it was already ruled (Refund), and a ruling is final.");
        Should.Throw<DomainException>(() => dispute.AddEvidence(CidC, Buyer, null, T0.AddDays(2))).Message.ShouldStartWith("Cannot add evidence to this dispute");
        Should.Throw<DomainException>(() => dispute.AssignArbitrator(Guid.NewGuid())).Message.ShouldStartWith("Cannot assign an arbitrator to this dispute");

        dispute.Ruling.ShouldBe(DisputeRuling.Refund);
        dispute.ArbitratorId.ShouldBe(Arbitrator);
        escrow.Resolution.ShouldBe(DisputeRuling.Refund);
    }

    // ---------------------------------------------------------------- community vote

    [Fact]
    public void RecordVoteOutcome_ResolvesWithTheTally()
    {
        var (escrow, dispute) = Opened(DisputeMode.CommunityVote);

        dispute.RecordVoteOutcome(escrow, DisputeRuling.Split, 7000, null, T0.AddDays(2));

        dispute.Status.ShouldBe(DisputeStatus.Ruled);
        dispute.SellerShareBps.ShouldBe(7000);
        dispute.RulingReason.ShouldBe("Decided by a vote of stakers.");
        escrow.State.ShouldBe(EscrowState.Resolved);
        escrow.SellerShareBps.ShouldBe(7000);
        Should.Throw<DomainException>(() => dispute.RecordVoteOutcome(escrow, DisputeRuling.Refund, null, null, T0.AddDays(3)))
            .Message.ShouldStartWith("Cannot record a vote on this dispute");
    }

    [Fact]
    public void RecordVoteOutcome_InArbitratorMode_IsRejected()
    {
        var (escrow, dispute) = WithArbitrator();

        Should.Throw<DomainException>(() => dispute.RecordVoteOutcome(escrow, DisputeRuling.Release, null, "tally", T0))
            .Message.ShouldBe("This dispute is decided by an arbitrator, not a community vote.");
        escrow.State.ShouldBe(EscrowState.Disputed);
    }

    private static string CidFor(int i)
    {
        // A valid CIDv1 (raw codec, sha2-256) over a distinct 32-byte digest.
        var bytes = new byte[36];
        bytes[0] = 0x01;
        bytes[1] = 0x55;
        bytes[2] = 0x12;
        bytes[3] = 0x20;
        bytes[4] = (byte)i;
        return "b" + Base32(bytes);
    }

    private static string Base32(byte[] data)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var sb = new System.Text.StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            sb.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }

        return sb.ToString();
    }
}
