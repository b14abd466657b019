using System.Text;
using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Notifications;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Commerce.Disputes;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Notifications;
using NeuroData.Tests.Integration.Indexing;

namespace NeuroData.Tests.Integration.Disputes;

/// <summary>
/// Purchases, disputes, rulings, votes and refunds against a real anvil with the real contracts, through the app's
/// services, the indexer and the reconcilers. Each test gets its own freshly deployed chain and database.
/// </summary>
public sealed class DisputeFlowTests : IAsyncLifetime
{
    private const long Price = 1000;

    private readonly DevChainFixture _chain = new();
    private DisputeHarness _h = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _chain.InitializeAsync();
        _h = new DisputeHarness(_chain);
    }

    [Fact]
    public async Task Dispute_ruled_refund_by_an_arbitrator_returns_price_and_bond_and_notifies_everyone_once()
    {
        _chain.RequireChain();
        await _h.InitializeAsync();
        var escrowId = await _h.PurchaseAsync(Price);
        await _h.SyncAsync();
        var escrows = _h.Get<EscrowService>();

        // Who sees the escrow, and what each may do.
        (await escrows.GetAsync(_h.Viewer("stranger"), escrowId, Ct)).ShouldBeNull("a stranger gets a 404, not the escrow");
        var asBuyer = (await escrows.GetAsync(_h.Viewer("buyer"), escrowId, Ct)).ShouldNotBeNull();
        (asBuyer.CanConfirm, asBuyer.CanDispute, asBuyer.CanAgreeRefund, asBuyer.CanRelease).ShouldBe((true, true, false, false));
        var asSeller = (await escrows.GetAsync(_h.Viewer("seller"), escrowId, Ct)).ShouldNotBeNull();
        (asSeller.CanConfirm, asSeller.CanDispute, asSeller.CanAgreeRefund, asSeller.CanRelease).ShouldBe((false, false, true, false));
        (asBuyer.Fee + asBuyer.SellerShare).ShouldBe(asBuyer.Price, "fee + seller share = price");
        asBuyer.Timeline.Select(t => t.Event).ShouldBe(["EscrowOpened"]);
        await Should.ThrowAsync<DomainException>(() => escrows.BuildConfirmAsync(_h.Viewer("buyer"), escrowId, DevAccounts.Seller.Address, Ct));
        await Should.ThrowAsync<DomainException>(() => escrows.BuildAgreeRefundAsync(_h.Viewer("buyer"), escrowId, DevAccounts.Buyer.Address, Ct));

        // Bad input stores nothing.
        await Should.ThrowAsync<DomainException>(() => escrows.PrepareDisputeAsync(_h.Viewer("buyer"), escrowId, DevAccounts.Buyer.Address, "  ", DisputeMode.Arbitrator, [], Ct));
        await using (var db = await _h.Db.CreateDbContextAsync(Ct))
        {
            (await db.Set<DisputeClaim>().CountAsync(Ct)).ShouldBe(0);
        }

        // The buyer disputes with evidence: bond approve + openDispute, signed by the buyer's wallet.
        var evidence = Encoding.UTF8.GetBytes("The archive holds 12 rows, the listing promised 10,000.\n");
        var prepared = await escrows.PrepareDisputeAsync(
            _h.Viewer("buyer"), escrowId, DevAccounts.Buyer.Address, "Rows are missing", DisputeMode.Arbitrator,
            [new EvidenceUpload("rows.txt", () => new MemoryStream(evidence))], Ct);
        prepared.Bond.ShouldBe(TokenAmount.FromTokens(50), "5% of the 1,000 NCR held (above the 10 NCR floor)");
        var approve = prepared.Approve.ShouldNotBeNull("the buyer has not approved the escrow manager yet");
        await _h.SignAndSendAsync(DevAccounts.Buyer, approve);
        await _h.SignAndSendAsync(DevAccounts.Buyer, prepared.OpenDispute);
        await _h.SyncAsync();

        await using (var db = await _h.Db.CreateDbContextAsync(Ct))
        {
            var dispute = await db.Disputes.Include(d => d.Evidence).SingleAsync(Ct);
            dispute.Reason.ShouldBe("Rows are missing");
            dispute.Mode.ShouldBe(DisputeMode.Arbitrator);
            dispute.Bond.ShouldBe(TokenAmount.FromTokens(50));
            dispute.BuyerId.ShouldBe(_h.Users["buyer"]);
            dispute.SellerId.ShouldBe(_h.Users["seller"]);
            dispute.Evidence.Select(e => e.Cid).ShouldBe(prepared.Evidence);
            dispute.Evidence.Single().Description.ShouldBe("rows.txt");
        }

        // Evidence: the parties and the arbitrator read it, a stranger gets nothing.
        (await escrows.OpenEvidenceAsync(_h.Viewer("stranger"), escrowId, prepared.Evidence[0], Ct)).ShouldBeNull();
        await using (var stream = (await escrows.OpenEvidenceAsync(_h.Viewer("arbitrator"), escrowId, prepared.Evidence[0], Ct)).ShouldNotBeNull())
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            copy.ToArray().ShouldBe(evidence);
        }

        // The seller answers.
        await escrows.SubmitSellerStatementAsync(_h.Viewer("seller"), escrowId, "The sample file was the full dataset.", Ct);
        await Should.ThrowAsync<DomainException>(() => escrows.SubmitSellerStatementAsync(_h.Viewer("buyer"), escrowId, "I am not the seller", Ct));

        // The arbitrator's queue and case; a party never sees the case.
        var arbitration = _h.Get<ArbitrationService>();
        (await arbitration.QueueAsync(_h.Viewer("arbitrator"), Ct)).Select(q => q.EscrowId).ShouldBe([escrowId]);
        (await arbitration.GetCaseAsync(_h.Viewer("buyer"), escrowId, Ct)).ShouldBeNull();
        var @case = (await arbitration.GetCaseAsync(_h.Viewer("arbitrator"), escrowId, Ct)).ShouldNotBeNull();
        @case.Dispute.SellerStatement.ShouldBe("The sample file was the full dataset.");
        @case.RulingDeadline.ShouldNotBeNull();
        await Should.ThrowAsync<DomainException>(() => arbitration.PrepareRulingAsync(_h.Viewer("arbitrator"), escrowId, DevAccounts.Arbitrator.Address, 0, " ", Ct));
        await Should.ThrowAsync<DomainException>(() => arbitration.PrepareRulingAsync(_h.Viewer("arbitrator"), escrowId, DevAccounts.Buyer.Address, 0, "A party's wallet", Ct));

        var rule = await arbitration.PrepareRulingAsync(_h.Viewer("arbitrator"), escrowId, DevAccounts.Arbitrator.Address, 0, "The seller delivered 12 of 10,000 rows.", Ct);
        await _h.SignAndSendAsync(DevAccounts.Arbitrator, rule);
        await _h.SyncAsync();

        await using (var db = await _h.Db.CreateDbContextAsync(Ct))
        {
            var dispute = await db.Disputes.SingleAsync(Ct);
            dispute.Status.ShouldBe(DisputeStatus.Ruled);
            dispute.Ruling.ShouldBe(DisputeRuling.Refund);
            dispute.SellerShareBps.ShouldBe(0);
            dispute.RulingReason.ShouldBe("The seller delivered 12 of 10,000 rows.");
            dispute.ArbitratorId.ShouldBe(_h.Users["arbitrator"]);
        }

        (await _h.WithdrawableAsync(DevAccounts.Buyer.Address)).ShouldBe(TokenAmount.FromTokens(Price + 50), "the price and the whole bond go back to the buyer");
        (await _h.WithdrawableAsync(DevAccounts.Seller.Address)).ShouldBe(TokenAmount.Zero);
        (await _h.WithdrawableAsync(DevAccounts.Arbitrator.Address)).ShouldBe(TokenAmount.Zero, "a refund forfeits no bond");
        var resolved = (await escrows.GetAsync(_h.Viewer("buyer"), escrowId, Ct)).ShouldNotBeNull();
        resolved.State.ShouldBe(MirrorEscrowState.Resolved);
        resolved.Timeline.Select(t => t.Event).ShouldBe(["EscrowOpened", "DisputeOpened", "Credited", "DisputeResolved"]);
        resolved.Timeline.ShouldAllBe(t => t.Time != null);
        (resolved.CanConfirm || resolved.CanDispute || resolved.CanRelease || resolved.CanAgreeRefund).ShouldBeFalse();

        // Every step notified once: a second pass adds nothing.
        var before = await NotificationKeysAsync();
        before.ShouldContain((_h.Users["buyer"], $"dispute-opened:{_h.ChainId.Value}:{escrowId}"));
        before.ShouldContain((_h.Users["seller"], $"dispute-opened:{_h.ChainId.Value}:{escrowId}"));
        before.ShouldContain((_h.Users["arbitrator"], $"dispute-case:{_h.ChainId.Value}:{escrowId}"));
        before.ShouldContain((_h.Users["buyer"], $"dispute-ruled:{_h.ChainId.Value}:{escrowId}"));
        before.ShouldContain((_h.Users["seller"], $"dispute-ruled:{_h.ChainId.Value}:{escrowId}"));
        before.ShouldContain((_h.Users["seller"], $"sale:{_h.ChainId.Value}:{escrowId}"));
        before.ShouldNotContain(n => n.UserId == _h.Users["stranger"]);
        (await _h.SyncAsync()).ShouldBeEmpty("nothing changed");
        (await NotificationKeysAsync()).ShouldBe(before);

        // The buyer has a confirmed email: the ruling was mailed too (pickup folder).
        var mails = Directory.GetFiles(_h.PickupDirectory).Select(File.ReadAllText).ToList();
        mails.ShouldContain(m => m.Contains("buyer@example.test", StringComparison.Ordinal) && m.Contains($"Dispute on escrow #{escrowId} decided", StringComparison.Ordinal));
        mails.ShouldNotContain(m => m.Contains("arbitrator@example.test", StringComparison.Ordinal), "the arbitrator has no confirmed email");
        var unread = await _h.Get<NotificationService>().UnreadCountAsync(_h.Users["buyer"], Ct);
        unread.ShouldBe(before.Count(n => n.UserId == _h.Users["buyer"]));
    }

    [Fact]
    public async Task A_split_ruling_pays_exact_amounts_and_burns_part_of_the_bond()
    {
        _chain.RequireChain();
        await _h.InitializeAsync();
        var escrowId = await _h.PurchaseAsync(Price);
        await _h.SyncAsync();
        var escrows = _h.Get<EscrowService>();
        var prepared = await escrows.PrepareDisputeAsync(_h.Viewer("buyer"), escrowId, DevAccounts.Buyer.Address, "Half the columns are empty", DisputeMode.Arbitrator, [], Ct);
        await _h.SignAndSendAsync(DevAccounts.Buyer, prepared.Approve!);
        await _h.SignAndSendAsync(DevAccounts.Buyer, prepared.OpenDispute);
        await _h.SyncAsync();
        var supplyBefore = await _h.QueryAsync(_chain.Contracts.NeuroCoin, new TotalSupplyFunction());

        var tx = await _h.Get<ArbitrationService>().PrepareRulingAsync(_h.Viewer("arbitrator"), escrowId, DevAccounts.Arbitrator.Address, 2_500, "A quarter of the data is usable.", Ct);
        await _h.SignAndSendAsync(DevAccounts.Arbitrator, tx);
        await _h.SyncAsync();

        var view = (await escrows.GetAsync(_h.Viewer("seller"), escrowId, Ct)).ShouldNotBeNull();
        var held = TokenAmount.FromTokens(Price).Units;
        var bond = prepared.Bond.Units;
        var sellerGross = held * 2_500 / 10_000;
        var fee = sellerGross * view.FeeBps / 10_000;
        var forfeited = bond * 2_500 / 10_000;
        var burned = forfeited * 5_000 / 10_000; // bondBurnBps at the time the dispute opened (default 50%)
        var toArbitrator = forfeited - burned;
        var bondBack = bond - burned - toArbitrator;

        (await _h.WithdrawableAsync(DevAccounts.Seller.Address)).Units.ShouldBe(sellerGross - fee);
        (await _h.WithdrawableAsync(DevAccounts.Buyer.Address)).Units.ShouldBe(held - sellerGross + bondBack);
        (await _h.WithdrawableAsync(DevAccounts.Arbitrator.Address)).Units.ShouldBe(toArbitrator);
        (supplyBefore - await _h.QueryAsync(_chain.Contracts.NeuroCoin, new TotalSupplyFunction())).ShouldBe(burned, "the burned part of the bond left the supply");
        ((sellerGross - fee) + (held - sellerGross + bondBack) + toArbitrator + burned + fee).ShouldBe(held + bond, "every unit is accounted for");

        var dispute = view.Dispute.ShouldNotBeNull();
        dispute.Status.ShouldBe(DisputeStatus.Ruled);
        dispute.SellerBps.ShouldBe(2_500);
        dispute.SellerAmount!.Value.Units.ShouldBe(sellerGross - fee);
        dispute.BuyerAmount!.Value.Units.ShouldBe(held - sellerGross);
        dispute.RulingReason.ShouldBe("A quarter of the data is usable.");
        await using var db = await _h.Db.CreateDbContextAsync(Ct);
        (await db.Disputes.SingleAsync(Ct)).Ruling.ShouldBe(DisputeRuling.Split);
    }

    [Fact]
    public async Task A_community_vote_with_quorum_releases_to_the_majority_and_the_tally_runs_once()
    {
        _chain.RequireChain();
        await _h.InitializeAsync();
        await _h.StakeAsync(DisputeHarness.StakerA, 1_000);
        await _h.StakeAsync(DisputeHarness.StakerB, 600);
        await _h.StakeAsync(DisputeHarness.StakerC, 100);
        var escrowId = await _h.PurchaseAsync(Price);
        await _h.SyncAsync();
        var prepared = await _h.Get<EscrowService>().PrepareDisputeAsync(_h.Viewer("buyer"), escrowId, DevAccounts.Buyer.Address, "Wrong file format", DisputeMode.CommunityVote, [], Ct);
        await _h.SignAndSendAsync(DevAccounts.Buyer, prepared.Approve!);
        await _h.SignAndSendAsync(DevAccounts.Buyer, prepared.OpenDispute);
        await _h.SyncAsync();

        var votes = _h.Get<VoteService>();
        var forA = (await votes.OpenCasesAsync(_h.Users["staker-a"], Ct)).Single();
        forA.EscrowId.ShouldBe(escrowId);
        forA.ViewerWeight.ShouldBe(TokenAmount.FromTokens(1_000), "the stake at the snapshot block");
        forA.SnapshotTotalStake.ShouldBe(TokenAmount.FromTokens(1_700));
        forA.Quorum.ShouldBe(TokenAmount.FromTokens(170), "10% of the stake at the snapshot");
        forA.CanVote.ShouldBeTrue();
        var forBuyer = (await votes.OpenCasesAsync(_h.Users["buyer"], Ct)).Single();
        (forBuyer.ViewerIsParty, forBuyer.CanVote).ShouldBe((true, false));
        await Should.ThrowAsync<DomainException>(() => votes.BuildVoteAsync(_h.Users["buyer"], escrowId, DevAccounts.Buyer.Address, false, Ct));
        await Should.ThrowAsync<DomainException>(() => votes.BuildVoteAsync(_h.Users["staker-a"], escrowId, DisputeHarness.StakerB.Address, true, Ct), "a wallet that is not the viewer's");

        await _h.SignAndSendAsync(DisputeHarness.StakerA, await votes.BuildVoteAsync(_h.Users["staker-a"], escrowId, DisputeHarness.StakerA.Address, true, Ct));
        await _h.SignAndSendAsync(DisputeHarness.StakerB, await votes.BuildVoteAsync(_h.Users["staker-b"], escrowId, DisputeHarness.StakerB.Address, false, Ct));
        await _h.SyncAsync();
        await Should.ThrowAsync<DomainException>(() => votes.BuildVoteAsync(_h.Users["staker-a"], escrowId, DisputeHarness.StakerA.Address, true, Ct), "one vote per staker");
        var tally = (await votes.OpenCasesAsync(_h.Users["staker-c"], Ct)).Single();
        (tally.ForSeller, tally.ForBuyer, tally.Voters, tally.QuorumReached).ShouldBe((TokenAmount.FromTokens(1_000), TokenAmount.FromTokens(600), 2, true));
        (await votes.ExecuteVoteTallyAsync(escrowId, Ct)).ShouldBeFalse("voting is still open");
        await Should.ThrowAsync<DomainException>(() => votes.BuildTallyAsync(escrowId, DisputeHarness.StakerC.Address, Ct));

        await _h.TravelAsync(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        (await votes.ExecuteVoteTallyAsync(escrowId, Ct)).ShouldBeTrue();
        (await votes.ExecuteVoteTallyAsync(escrowId, Ct)).ShouldBeFalse("already tallied: nothing to do, no error");
        await _h.SyncAsync();

        await using var db = await _h.Db.CreateDbContextAsync(Ct);
        var dispute = await db.Disputes.SingleAsync(Ct);
        (dispute.Status, dispute.Ruling, dispute.Mode).ShouldBe((DisputeStatus.Ruled, DisputeRuling.Release, DisputeMode.CommunityVote));
        dispute.RulingReason.ShouldNotBeNull().ShouldStartWith("Decided by a vote of stakers");
        var feeBps = (await db.Set<MirrorEscrow>().SingleAsync(Ct)).FeeBps;
        var held = TokenAmount.FromTokens(Price).Units;
        (await _h.WithdrawableAsync(DevAccounts.Seller.Address)).Units.ShouldBe(held - (held * feeBps / 10_000));
        var bond = prepared.Bond.Units;
        (await _h.WithdrawableAsync(DevAccounts.Buyer.Address)).Units.ShouldBe(bond - (bond * 5_000 / 10_000), "the losing buyer's bond is half burned, no arbitrator share");
        (await votes.OpenCasesAsync(_h.Users["staker-a"], Ct)).ShouldBeEmpty();
        var keys = await NotificationKeysAsync();
        keys.ShouldContain((_h.Users["seller"], $"dispute-vote:{_h.ChainId.Value}:{escrowId}:{DisputeHarness.StakerA.Address.Value.ToLowerInvariant()}"));
        keys.ShouldContain((_h.Users["buyer"], $"dispute-ruled:{_h.ChainId.Value}:{escrowId}"));
        keys.ShouldNotContain(k => k.Key.StartsWith("dispute-case:", StringComparison.Ordinal), "vote disputes do not go to arbitrators");
    }

    [Fact]
    public async Task A_seller_agreed_refund_returns_the_price_and_reminders_go_out_once()
    {
        _chain.RequireChain();
        await _h.InitializeAsync();
        var escrowId = await _h.PurchaseAsync(Price, reviewSeconds: 86_400);
        await _h.SyncAsync();

        var notDue = new DeadlineReminderService(_h.Db, _h.Get<IChainGateway>(), _h.Get<INotifier>(), new DisputeSettings { ReminderHours = 23 }, TimeProvider.System);
        (await notDue.SendDueRemindersAsync(Ct)).ShouldBe(0, "the deadline is a day away");
        var due = new DeadlineReminderService(_h.Db, _h.Get<IChainGateway>(), _h.Get<INotifier>(), new DisputeSettings { ReminderHours = 25 }, TimeProvider.System);
        (await due.SendDueRemindersAsync(Ct)).ShouldBe(2, "buyer and seller");
        (await due.SendDueRemindersAsync(Ct)).ShouldBe(0, "once each");

        var escrows = _h.Get<EscrowService>();
        await Should.ThrowAsync<DomainException>(() => escrows.BuildAgreeRefundAsync(_h.Viewer("seller"), escrowId, DevAccounts.Buyer.Address, Ct));
        var tx = await escrows.BuildAgreeRefundAsync(_h.Viewer("seller"), escrowId, DevAccounts.Seller.Address, Ct);
        await _h.SignAndSendAsync(DevAccounts.Seller, tx);
        (await _h.SyncAsync()).ShouldBe([_h.Users["buyer"], _h.Users["seller"]], ignoreOrder: true);

        var view = (await escrows.GetAsync(_h.Viewer("buyer"), escrowId, Ct)).ShouldNotBeNull();
        view.State.ShouldBe(MirrorEscrowState.Refunded);
        view.Timeline.Select(t => t.Event).ShouldBe(["EscrowOpened", "Credited", "EscrowRefunded"]);
        (await _h.WithdrawableAsync(DevAccounts.Buyer.Address)).ShouldBe(TokenAmount.FromTokens(Price));
        (await _h.WithdrawableAsync(DevAccounts.Seller.Address)).ShouldBe(TokenAmount.Zero);
        (await due.SendDueRemindersAsync(Ct)).ShouldBe(0, "a refunded escrow has no deadline left");

        var keys = await NotificationKeysAsync();
        keys.Count(k => k.Key == $"refunded:{_h.ChainId.Value}:{escrowId}").ShouldBe(2);
        keys.Count(k => k.Key == $"deadline-reminder:{_h.ChainId.Value}:{escrowId}").ShouldBe(2);
        await _h.SyncAsync();
        (await NotificationKeysAsync()).ShouldBe(keys);
    }

    private async Task<List<(Guid UserId, string Key)>> NotificationKeysAsync()
    {
        await using var db = await _h.Db.CreateDbContextAsync(Ct);
        var rows = await db.Set<Notification>().AsNoTracking().Select(n => new { n.UserId, n.Key }).ToListAsync(Ct);
        return rows.Select(r => (r.UserId, r.Key)).OrderBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.UserId).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _h.DisposeAsync();
        await _chain.DisposeAsync();
    }
}
