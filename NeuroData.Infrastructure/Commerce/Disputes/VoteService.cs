using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Commerce.Disputes;

/// <summary>A community-vote dispute as the votes page shows it, with the viewer's weight and vote.</summary>
public sealed record VoteCase(
    long EscrowId,
    string? DatasetTitle,
    TokenAmount Held,
    DateTimeOffset VoteEnd,
    long SnapshotBlock,
    TokenAmount ForSeller,
    TokenAmount ForBuyer,
    TokenAmount Quorum,
    TokenAmount SnapshotTotalStake,
    int Voters,
    TokenAmount ViewerWeight,
    bool? ViewerVotedForSeller,
    bool ViewerIsParty,
    DateTimeOffset ChainNow)
{
    public bool IsOpen => ChainNow < VoteEnd;

    public bool QuorumReached => ForSeller + ForBuyer >= Quorum;

    /// <summary>The viewer may vote: open, not a party, not voted yet, with stake at the snapshot.</summary>
    public bool CanVote => IsOpen && !ViewerIsParty && ViewerVotedForSeller is null && !ViewerWeight.IsZero;

    /// <summary>The period is over: anyone may execute the tally.</summary>
    public bool CanTally => !IsOpen;

    /// <summary>What the tally would decide now.</summary>
    public string Projection => !QuorumReached || ForSeller == ForBuyer
        ? "no quorum or a tie: default 50/50 split, bond returned"
        : ForSeller > ForBuyer ? "the seller wins everything" : "the buyer is refunded";
}

/// <summary>
/// Community votes: open vote cases with the viewer's snapshot weight (Staking.getPastStake at the dispute's snapshot
/// block), votes signed from the staker's wallet, and the tally executed on chain when the period ends — by anyone's
/// wallet, or by the platform's operator key through <see cref="ExecuteVoteTallyAsync"/> (also for a scheduled job).
/// </summary>
public sealed class VoteService(
    IDbContextFactory<NeuroDataDbContext> contexts,
    IChainGateway gateway,
    IWalletTransactionBuilder transactions,
    DisputeChainReader reader,
    EscrowService escrows,
    ChainContext chain,
    ChainSigners signers,
    ILogger<VoteService> logger)
{
    /// <summary>Disputes decided by stakers that are not yet tallied (voting open, or ended and awaiting the tally).</summary>
    public async Task<IReadOnlyList<VoteCase>> OpenCasesAsync(Guid? viewerId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var open = await db.Set<MirrorEscrow>().AsNoTracking()
            .Where(m => m.ChainId == gateway.ChainId && m.State == MirrorEscrowState.Disputed && m.DisputeMode == 1).ToListAsync(ct);
        if (open.Count == 0)
        {
            return [];
        }

        var ids = open.Select(m => m.EscrowId).ToList();
        var votes = await db.Set<MirrorVote>().AsNoTracking().Where(v => v.ChainId == gateway.ChainId && ids.Contains(v.EscrowId)).ToListAsync(ct);
        var wallets = viewerId is { } uid
            ? await db.WalletLinks.AsNoTracking().Where(w => w.UserId == uid).OrderByDescending(w => w.IsPrimary).Select(w => w.Address).ToListAsync(ct)
            : [];
        var titles = await DisputeReconciler.TitlesByListingAsync(db, open.Select(m => m.ListingId).Distinct().ToList(), ct);
        var now = await escrows.ChainNowAsync(ct);
        var cases = new List<VoteCase>();
        foreach (var m in open.OrderBy(m => m.VoteEnd))
        {
            var facts = await reader.GetDisputeAsync(m.EscrowId, ct);
            var mine = votes.Where(v => v.EscrowId == m.EscrowId && wallets.Contains(v.Voter)).ToList();
            var isParty = wallets.Contains(m.Buyer) || wallets.Contains(m.Seller);
            var weight = TokenAmount.Zero;
            foreach (var w in wallets.Where(w => w != m.Buyer && w != m.Seller && !mine.Any(v => v.Voter == w)))
            {
                weight = await reader.PastStakeAsync(w, facts.SnapshotBlock, ct);
                if (!weight.IsZero)
                {
                    break;
                }
            }

            var ofCase = votes.Where(v => v.EscrowId == m.EscrowId).ToList();
            cases.Add(new VoteCase(
                m.EscrowId, titles.GetValueOrDefault(m.ListingId), m.Amount - m.Released, facts.VoteEnd ?? m.VoteEnd ?? now, facts.SnapshotBlock,
                Sum(ofCase.Where(v => v.ForSeller)), Sum(ofCase.Where(v => !v.ForSeller)), facts.Quorum, facts.SnapshotTotalStake, ofCase.Count,
                weight, mine.Count > 0 ? mine[0].ForSeller : null, isParty, now));
        }

        return cases;
    }

    /// <summary>
    /// The vote transaction for the connected account: it must be one of the viewer's linked wallets, not a party,
    /// with stake at the snapshot, voting once while the period is open.
    /// </summary>
    public async Task<UnsignedTransaction> BuildVoteAsync(Guid viewerId, long escrowId, EthAddress account, bool forSeller, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.WalletLinks.AnyAsync(w => w.UserId == viewerId && w.Address == account, ct))
        {
            throw new DomainException($"Link the wallet {account.ToShortString()} to your account before voting with it.");
        }

        var m = await db.Set<MirrorEscrow>().AsNoTracking().FirstOrDefaultAsync(e => e.ChainId == gateway.ChainId && e.EscrowId == escrowId, ct);
        if (m is not { State: MirrorEscrowState.Disputed, DisputeMode: 1 })
        {
            throw new DomainException($"Escrow #{escrowId} has no open community vote.");
        }

        if (account == m.Buyer || account == m.Seller)
        {
            throw new DomainException("The buyer and the seller cannot vote on their own dispute.");
        }

        if (await db.Set<MirrorVote>().AnyAsync(v => v.ChainId == gateway.ChainId && v.EscrowId == escrowId && v.Voter == account, ct))
        {
            throw new DomainException($"{account.ToShortString()} has already voted on this dispute.");
        }

        var facts = await reader.GetDisputeAsync(escrowId, ct);
        if (await escrows.ChainNowAsync(ct) >= facts.VoteEnd)
        {
            throw new DomainException($"Voting on escrow #{escrowId} ended at {facts.VoteEnd:yyyy-MM-dd HH:mm} UTC; the tally can be executed now.");
        }

        if ((await reader.PastStakeAsync(account, facts.SnapshotBlock, ct)).IsZero)
        {
            throw new DomainException($"{account.ToShortString()} had no stake at block {facts.SnapshotBlock}, when the dispute opened, so it has no vote here.");
        }

        return await transactions.VoteOnDisputeAsync(account, escrowId, forSeller, ct);
    }

    /// <summary>The tally transaction for anyone's wallet (after the voting period).</summary>
    public async Task<UnsignedTransaction> BuildTallyAsync(long escrowId, EthAddress account, CancellationToken ct = default)
    {
        var facts = await RequireEndedVoteAsync(escrowId, ct);
        _ = facts;
        return await transactions.TallyVoteAsync(account, escrowId, ct);
    }

    /// <summary>
    /// Executes the tally of an ended community vote with the platform's operator key. Returns false when there is
    /// nothing to do (not a vote dispute, already tallied, or still open); the indexer then records the outcome.
    /// </summary>
    public async Task<bool> ExecuteVoteTallyAsync(long escrowId, CancellationToken ct = default)
    {
        var onChain = await gateway.GetEscrowAsync(escrowId, ct);
        if (onChain is not { State: Domain.Commerce.EscrowState.Disputed })
        {
            return false;
        }

        var facts = await reader.GetDisputeAsync(escrowId, ct);
        if (facts.VoteEnd is null || await reader.LatestBlockTimeAsync(ct) < facts.VoteEnd)
        {
            return false;
        }

        var contracts = await chain.GetContractsAsync(ct);
        try
        {
            await signers.For(chain.Settings.OperatorKey).SendAsync(contracts.EscrowManager, new TallyFunction { EscrowId = escrowId }, ct);
            return true;
        }
        catch (ChainTransactionException ex) when (ex.ErrorName is "InvalidState")
        {
            logger.LogInformation("Tally of escrow {EscrowId}: somebody else executed it first", escrowId);
            return false;
        }
    }

    /// <summary>Executes every ended, untallied community vote (for a scheduled job). Returns how many were tallied.</summary>
    public async Task<int> ExecuteDueVoteTalliesAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = await reader.LatestBlockTimeAsync(ct);
        var due = await db.Set<MirrorEscrow>().AsNoTracking()
            .Where(m => m.ChainId == gateway.ChainId && m.State == MirrorEscrowState.Disputed && m.DisputeMode == 1)
            .Select(m => new { m.EscrowId, m.VoteEnd }).ToListAsync(ct);
        var count = 0;
        foreach (var m in due.Where(m => m.VoteEnd is { } end && end <= now))
        {
            if (await ExecuteVoteTallyAsync(m.EscrowId, ct))
            {
                count++;
            }
        }

        return count;
    }

    private async Task<ChainDisputeFacts> RequireEndedVoteAsync(long escrowId, CancellationToken ct)
    {
        var onChain = await gateway.GetEscrowAsync(escrowId, ct);
        if (onChain is not { State: Domain.Commerce.EscrowState.Disputed })
        {
            throw new DomainException($"Escrow #{escrowId} has no vote waiting for its tally.");
        }

        var facts = await reader.GetDisputeAsync(escrowId, ct);
        if (facts.VoteEnd is null)
        {
            throw new DomainException($"Escrow #{escrowId} is decided by an arbitrator, not a vote.");
        }

        if (await reader.LatestBlockTimeAsync(ct) < facts.VoteEnd)
        {
            throw new DomainException($"Voting on escrow #{escrowId} is open until {facts.VoteEnd:yyyy-MM-dd HH:mm} UTC; the tally comes after that.");
        }

        return facts;
    }

    private static TokenAmount Sum(IEnumerable<MirrorVote> votes) => votes.Aggregate(TokenAmount.Zero, (s, v) => s + v.Weight);
}
