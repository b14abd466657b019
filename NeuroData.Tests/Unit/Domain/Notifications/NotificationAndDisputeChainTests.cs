using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Notifications;
using NeuroData.Infrastructure.Commerce.Disputes;
using NeuroData.Infrastructure.Indexing;

namespace NeuroData.Tests.Unit.Domain.Notifications;

public sealed class NotificationAndDisputeChainTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 20, 0, 0, TimeSpan.Zero);
    private static readonly Guid Buyer = Guid.NewGuid();
    private static readonly Guid Seller = Guid.NewGuid();
    private static readonly Guid Arbitrator = Guid.NewGuid();

    [Fact]
    public void A_notification_links_only_inside_the_app_and_keeps_its_first_read_time()
    {
        Should.Throw<DomainException>(() => new Notification(Buyer, NotificationKind.DisputeOpened, "k", "t", "b", "https://evil.example/", Now));
        Should.Throw<DomainException>(() => new Notification(Buyer, NotificationKind.DisputeOpened, " ", "t", "b", null, Now));
        var n = new Notification(Buyer, NotificationKind.DisputeOpened, "dispute-opened:1:2", "Title", "Body", "/escrows/2", Now);
        n.IsRead.ShouldBeFalse();
        n.MarkRead(Now.AddMinutes(1));
        n.MarkRead(Now.AddMinutes(5));
        n.ReadAt.ShouldBe(Now.AddMinutes(1));
    }

    [Fact]
    public void The_arbitrators_reason_is_kept_only_when_the_chain_ruled_what_they_proposed()
    {
        var matching = Opened();
        matching.ProposeRuling(Arbitrator, 2_500, "A quarter is usable.");
        matching.RecordChainOutcome(2_500, Arbitrator, "fallback", Now).ShouldBeTrue();
        (matching.Ruling, matching.SellerShareBps, matching.RulingReason, matching.Status).ShouldBe((DisputeRuling.Split, 2_500, "A quarter is usable.", DisputeStatus.Ruled));
        matching.RecordChainOutcome(2_500, Arbitrator, "fallback", Now).ShouldBeFalse("the same outcome again changes nothing");
        Should.Throw<DomainException>(() => matching.RecordChainOutcome(0, Arbitrator, "fallback", Now));

        var different = Opened();
        different.ProposeRuling(Arbitrator, 2_500, "A quarter is usable.");
        different.RecordChainOutcome(10_000, Arbitrator, "Ruled by an arbitrator: released.", Now);
        (different.Ruling, different.RulingReason).ShouldBe((DisputeRuling.Release, "Ruled by an arbitrator: released."));
    }

    [Fact]
    public void A_party_can_never_propose_a_ruling_and_a_vote_dispute_has_no_arbitrator()
    {
        Should.Throw<DomainException>(() => Opened().ProposeRuling(Seller, 10_000, "mine"));
        Should.Throw<DomainException>(() => Opened().ProposeRuling(Arbitrator, 10_001, "too much"));
        Should.Throw<DomainException>(() => Opened(DisputeMode.CommunityVote).ProposeRuling(Arbitrator, 0, "no"));
        var d = Opened();
        Should.Throw<DomainException>(() => d.SubmitSellerStatement(Buyer, "I am the buyer", Now));
        d.SubmitSellerStatement(Seller, "  The data was complete.  ", Now);
        d.SellerStatement.ShouldBe("The data was complete.");
    }

    [Fact]
    public void A_claim_needs_a_reason_and_counts_the_same_file_once()
    {
        Should.Throw<DomainException>(() => new DisputeClaim(new ChainId(31337), 1, Buyer, "", DisputeMode.Arbitrator, Now));
        var claim = new DisputeClaim(new ChainId(31337), 1, Buyer, "Rows missing", DisputeMode.Arbitrator, Now);
        var cid = Cid.Parse("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
        claim.AddEvidence(cid, "a.txt");
        claim.AddEvidence(cid, "a-again.txt");
        claim.Evidence.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(1, 100, 0)]
    [InlineData(1, 100, 25)]
    [InlineData(3, 1000, 25)]
    [InlineData(12, 999_999_999_999_999_999, 500)]
    public void Tranches_add_up_to_the_price_and_the_fee_is_taken_per_tranche(int tranches, long units, int feeBps)
    {
        var price = TokenAmount.FromUnits(units);
        var split = EscrowService.Tranches(price, tranches, 0, feeBps, MirrorEscrowState.Funded);
        split.Count.ShouldBe(tranches);
        split.Aggregate(TokenAmount.Zero, (s, t) => s + t.Gross).ShouldBe(price);
        split.ShouldAllBe(t => t.Fee.Units == t.Gross.Units * feeBps / 10_000);
    }

    private static Dispute Opened(DisputeMode mode = DisputeMode.Arbitrator)
    {
        var escrow = new Escrow(new ChainId(31337), 1, null, EthAddress.Parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"), EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
            TokenAmount.FromTokens(100), TokenAmount.Zero, Now.AddDays(1), Now);
        return Dispute.FromChain(escrow, Buyer, Seller, "Rows missing", TokenAmount.FromTokens(10), mode, Now);
    }
}
