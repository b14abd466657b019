using System.Text;
using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Commerce.Disputes;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Tests.Integration.Disputes;
using NeuroData.Tests.Integration.Indexing;

namespace NeuroData.Tests.Integration.Commerce.Disputes;

/// <summary>
/// A chain reorganisation that removes the block in which a dispute was opened withdraws the dispute row (and its
/// evidence rows); the escrow is disputable again, and the same buyer's dispute, opened again, comes back with the
/// statement written in the app. Real anvil (evm_snapshot / evm_revert), the indexer and the reconcilers.
/// </summary>
public sealed class DisputeReorgTests : IAsyncLifetime
{
    private readonly DevChainFixture _chain = new();
    private DisputeHarness _h = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _chain.InitializeAsync();
        _h = new DisputeHarness(_chain);
    }

    [Fact]
    public async Task A_reorganisation_that_removes_the_disputes_block_withdraws_the_dispute_row()
    {
        _chain.RequireChain();
        await _h.InitializeAsync();
        var escrowId = await _h.PurchaseAsync(300);
        await _h.SyncAsync();
        var snapshot = await _chain.SnapshotAsync();

        var escrows = _h.Get<EscrowService>();
        const string Reason = "Half of the rows are duplicates of the other half.";
        var bytes = Encoding.UTF8.GetBytes("row 1 = row 5001\n");
        var evidence = new EvidenceUpload("duplicates.txt", () => new MemoryStream(bytes));
        var prepared = await escrows.PrepareDisputeAsync(_h.Viewer("buyer"), escrowId, DevAccounts.Buyer.Address, Reason, DisputeMode.Arbitrator, [evidence], Ct);
        await _h.SignAndSendAsync(DevAccounts.Buyer, prepared.Approve!);
        await _h.SignAndSendAsync(DevAccounts.Buyer, prepared.OpenDispute);
        await _h.SyncAsync();
        await using (var db = await _h.Db.CreateDbContextAsync(Ct))
        {
            var dispute = await db.Disputes.Include(d => d.Evidence).SingleAsync(Ct);
            dispute.Reason.ShouldBe(Reason);
            dispute.Evidence.Count.ShouldBe(1);
        }

        // The blocks with the approval and the dispute are reorganised away; the chain goes on without them.
        await _chain.RevertAsync(snapshot);
        await _chain.MineAsync(5);
        var changed = await _h.SyncAsync();

        changed.ShouldContain(_h.Users["buyer"]);
        changed.ShouldContain(_h.Users["seller"]);
        await using (var db = await _h.Db.CreateDbContextAsync(Ct))
        {
            (await db.Disputes.CountAsync(Ct)).ShouldBe(0, "the chain has no dispute on the escrow any more");
            (await db.Set<DisputeEvidence>().CountAsync(Ct)).ShouldBe(0);
            (await db.Set<MirrorEscrow>().SingleAsync(Ct)).State.ShouldBe(MirrorEscrowState.Funded);
            (await db.Escrows.CountAsync(e => e.OnChainId == escrowId, Ct)).ShouldBe(1, "the purchase itself is still on chain");
        }

        var view = (await escrows.GetAsync(_h.Viewer("buyer"), escrowId, Ct)).ShouldNotBeNull();
        (view.State, view.CanDispute).ShouldBe((MirrorEscrowState.Funded, true));
        (await _h.Get<ArbitrationService>().QueueAsync(_h.Viewer("arbitrator"), Ct)).ShouldBeEmpty("no case for a dispute the chain does not have");
        await using (var db = await _h.Db.CreateDbContextAsync(Ct))
        {
            var before = await db.Disputes.CountAsync(Ct);
            await _h.SyncAsync();
            (await db.Disputes.CountAsync(Ct)).ShouldBe(before, "a second pass changes nothing");
        }

        // The buyer opens the dispute again (the transaction mined anew): the row comes back with the statement.
        var again = await escrows.PrepareDisputeAsync(_h.Viewer("buyer"), escrowId, DevAccounts.Buyer.Address, Reason, DisputeMode.Arbitrator, [], Ct);
        await _h.SignAndSendAsync(DevAccounts.Buyer, again.Approve!);
        await _h.SignAndSendAsync(DevAccounts.Buyer, again.OpenDispute);
        await _h.SyncAsync();
        await using (var db = await _h.Db.CreateDbContextAsync(Ct))
        {
            var dispute = await db.Disputes.SingleAsync(Ct);
            (dispute.Reason, dispute.Status).ShouldBe((Reason, DisputeStatus.Open));
        }

        (await _h.Get<ArbitrationService>().QueueAsync(_h.Viewer("arbitrator"), Ct)).Select(q => q.EscrowId).ShouldBe([escrowId]);
    }

    public async ValueTask DisposeAsync()
    {
        await _h.DisposeAsync();
        await _chain.DisposeAsync();
    }
}
