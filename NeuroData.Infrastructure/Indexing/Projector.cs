using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Indexing;

/// <summary>
/// Applies decoded contract events to the mirror tables. Pure bookkeeping on one DbContext: the indexer calls it inside
/// the same transaction that stores the raw log and moves the cursor, so an event is applied exactly once or not at all.
/// </summary>
internal sealed class Projector(NeuroDataDbContext db, ChainId chainId)
{
    private readonly HashSet<EthAddress> _touched = [];

    /// <summary>Accounts whose mirror rows changed (for live page updates).</summary>
    public IReadOnlyCollection<EthAddress> TouchedAccounts => _touched;

    public async Task ApplyAsync(DecodedEvent e, TxHash tx, long block, CancellationToken ct)
    {
        switch (e.Name)
        {
            case "Transfer":
                var value = e.Amount("value");
                if (!e.Address("from").IsZero)
                {
                    var from = await AccountAsync(e.Address("from"), block, ct);
                    from.Balance = Subtract(from.Balance, value, $"balance of {from.Address}");
                }

                if (!e.Address("to").IsZero)
                {
                    var to = await AccountAsync(e.Address("to"), block, ct);
                    to.Balance += value;
                }

                break;
            case "Staked":
                (await AccountAsync(e.Address("account"), block, ct)).Staked += e.Amount("amount");
                break;
            case "Unstaked":
                var staker = await AccountAsync(e.Address("account"), block, ct);
                staker.Staked = Subtract(staker.Staked, e.Amount("amount"), $"stake of {staker.Address}");
                break;
            case "RewardPaid":
                (await AccountAsync(e.Address("account"), block, ct)).RewardsPaid += e.Amount("amount");
                break;
            case "Credited":
                (await AccountAsync(e.Address("account"), block, ct)).Withdrawable += e.Amount("amount");
                break;
            case "Withdrawn":
                var payee = await AccountAsync(e.Address("account"), block, ct);
                payee.Withdrawable = Subtract(payee.Withdrawable, e.Amount("amount"), $"withdrawable of {payee.Address}");
                break;
            case "ListingCreated":
                db.Set<MirrorListing>().Add(new MirrorListing
                {
                    ChainId = chainId,
                    ListingId = e.Whole("listingId"),
                    Seller = e.Address("seller"),
                    ContentDigest = e.Text("contentDigest"),
                    Price = e.Amount("price"),
                    ReviewPeriodSeconds = e.Whole("reviewPeriod"),
                    AccessType = e.Small("accessType"),
                    Tranches = e.Small("tranches"),
                    Status = MirrorListingStatus.Pending,
                    CreatedBlock = block,
                    UpdatedBlock = block,
                });
                _touched.Add(e.Address("seller"));
                break;
            case "ListingApproved":
                (await ListingAsync(e, block, ct)).Status = MirrorListingStatus.Approved;
                break;
            case "ListingRejected":
                var rejected = await ListingAsync(e, block, ct);
                rejected.Status = MirrorListingStatus.Rejected;
                rejected.RejectionReason = e.Text("reason");
                break;
            case "ListingDelisted":
                (await ListingAsync(e, block, ct)).Status = MirrorListingStatus.Delisted;
                break;
            case "PriceUpdated":
                (await ListingAsync(e, block, ct)).Price = e.Amount("newPrice");
                break;
            case "EscrowOpened":
                db.Set<MirrorEscrow>().Add(new MirrorEscrow
                {
                    ChainId = chainId,
                    EscrowId = e.Whole("escrowId"),
                    ListingId = e.Whole("listingId"),
                    Buyer = e.Address("buyer"),
                    Seller = e.Address("seller"),
                    Amount = e.Amount("amount"),
                    FeeBps = e.Small("feeBps"),
                    Deadline = e.Time("deadline"),
                    Tranches = e.Small("tranches"),
                    Released = TokenAmount.Zero,
                    State = MirrorEscrowState.Funded,
                    OpenedTx = tx,
                    OpenedBlock = block,
                    UpdatedBlock = block,
                });
                _touched.Add(e.Address("buyer"));
                _touched.Add(e.Address("seller"));
                break;
            case "TrancheReleased":
                var partly = await EscrowAsync(e, block, ct);
                partly.TranchesReleased++;
                partly.Released += e.Amount("gross");
                break;
            case "EscrowReleased":
                var released = await EscrowAsync(e, block, ct);
                released.Released += e.Amount("gross");
                released.State = MirrorEscrowState.Released;
                break;
            case "EscrowRefunded":
                (await EscrowAsync(e, block, ct)).State = MirrorEscrowState.Refunded;
                break;
            case "DisputeOpened":
                var disputed = await EscrowAsync(e, block, ct);
                disputed.State = MirrorEscrowState.Disputed;
                disputed.DisputeMode = e.Small("mode");
                disputed.DisputeBond = e.Amount("bond");
                disputed.VoteEnd = e.Number("voteEnd").IsZero ? null : e.Time("voteEnd");
                break;
            case "DisputeResolved":
                var resolved = await EscrowAsync(e, block, ct);
                resolved.State = MirrorEscrowState.Resolved;
                resolved.SellerBps = e.Small("sellerBps");
                resolved.SellerAmount = e.Amount("sellerAmount");
                resolved.BuyerAmount = e.Amount("buyerAmount");
                break;
            case "VoteCast":
                db.Set<MirrorVote>().Add(new MirrorVote
                {
                    ChainId = chainId,
                    EscrowId = e.Whole("escrowId"),
                    Voter = e.Address("voter"),
                    ForSeller = e.Bool("forSeller"),
                    Weight = e.Amount("weight"),
                });
                _touched.Add(e.Address("voter"));
                break;
            default:
                throw new InvalidOperationException($"The indexer has no projection for event {e.Name}.");
        }
    }

    private static TokenAmount Subtract(TokenAmount a, TokenAmount b, string what) =>
        a >= b ? a - b : throw new InvalidOperationException($"Mirror out of step with the chain: {what} would go below zero. Rebuild the mirror from the deployment block.");

    private async Task<MirrorAccount> AccountAsync(EthAddress address, long block, CancellationToken ct)
    {
        _touched.Add(address);
        var account = await db.Set<MirrorAccount>().FindAsync([chainId, address], ct);
        if (account is null)
        {
            account = new MirrorAccount
            {
                ChainId = chainId,
                Address = address,
                Balance = TokenAmount.Zero,
                Staked = TokenAmount.Zero,
                RewardsPaid = TokenAmount.Zero,
                Withdrawable = TokenAmount.Zero,
            };
            db.Set<MirrorAccount>().Add(account);
        }

        account.UpdatedBlock = block;
        return account;
    }

    private async Task<MirrorListing> ListingAsync(DecodedEvent e, long block, CancellationToken ct)
    {
        var id = e.Whole("listingId");
        var listing = await db.Set<MirrorListing>().FindAsync([chainId, id], ct)
            ?? throw new InvalidOperationException($"{e.Name} for listing {id}, which the mirror has never seen created.");
        listing.UpdatedBlock = block;
        _touched.Add(listing.Seller);
        return listing;
    }

    private async Task<MirrorEscrow> EscrowAsync(DecodedEvent e, long block, CancellationToken ct)
    {
        var id = e.Whole("escrowId");
        var escrow = await db.Set<MirrorEscrow>().FindAsync([chainId, id], ct)
            ?? throw new InvalidOperationException($"{e.Name} for escrow {id}, which the mirror has never seen opened.");
        escrow.UpdatedBlock = block;
        _touched.Add(escrow.Buyer);
        _touched.Add(escrow.Seller);
        return escrow;
    }

    /// <summary>Deletes every projection row of the chain (before a replay from the raw logs).</summary>
    public async Task ClearAsync(CancellationToken ct)
    {
        await db.Set<MirrorVote>().Where(v => v.ChainId == chainId).ExecuteDeleteAsync(ct);
        await db.Set<MirrorEscrow>().Where(v => v.ChainId == chainId).ExecuteDeleteAsync(ct);
        await db.Set<MirrorListing>().Where(v => v.ChainId == chainId).ExecuteDeleteAsync(ct);
        await db.Set<MirrorAccount>().Where(v => v.ChainId == chainId).ExecuteDeleteAsync(ct);
    }
}
