using NeuroData.Domain.Common;

namespace NeuroData.Domain.Commerce;

/// <summary>The states of the on-chain EscrowManager. Released, Refunded and Resolved are final.</summary>
public enum EscrowState
{
    Funded,
    Released,
    Refunded,
    Disputed,
    Resolved,
}

/// <summary>How a dispute ended (also the escrow's resolution).</summary>
public enum DisputeRuling
{
    /// <summary>Everything to the seller.</summary>
    Release,

    /// <summary>Everything back to the buyer.</summary>
    Refund,

    /// <summary>Divided: the seller receives <c>SellerShareBps</c>/10,000.</summary>
    Split,
}

/// <summary>
/// Mirror of one on-chain escrow. Transitions follow the contract exactly:
/// Funded -> Released | Refunded | Disputed; Disputed -> Resolved. A closed escrow never changes again.
/// Milestone escrows release in tranches; the last tranche releases the escrow.
/// </summary>
public sealed class Escrow : Entity
{
    public const int MaxMilestones = 20;

    private readonly List<EscrowMilestone> _milestones = [];

    private Escrow()
    {
        Buyer = null!;
        Seller = null!;
    }

    public Escrow(
        ChainId chainId,
        long onChainId,
        Guid? purchaseId,
        EthAddress buyer,
        EthAddress seller,
        TokenAmount amount,
        TokenAmount fee,
        DateTimeOffset deadline,
        DateTimeOffset fundedAt,
        IReadOnlyList<TokenAmount>? milestoneAmounts = null)
    {
        ArgumentNullException.ThrowIfNull(buyer);
        ArgumentNullException.ThrowIfNull(seller);
        if (buyer == seller)
        {
            throw new DomainException("An escrow's buyer and seller must be different addresses.");
        }

        if (buyer.IsZero || seller.IsZero)
        {
            throw new DomainException("An escrow party cannot be the zero address.");
        }

        if (amount.IsZero)
        {
            throw new DomainException("An escrow must hold a positive amount.");
        }

        if (deadline <= fundedAt)
        {
            throw new DomainException("An escrow's deadline must be after the moment it is funded.");
        }

        ChainId = chainId;
        OnChainId = Guard.NotNegative(onChainId, "An on-chain escrow id");
        PurchaseId = purchaseId == Guid.Empty ? null : purchaseId;
        Buyer = buyer;
        Seller = seller;
        Amount = amount;
        Fee = fee;
        Deadline = deadline;
        FundedAt = fundedAt;
        State = EscrowState.Funded;

        var tranches = milestoneAmounts is { Count: > 0 } ? milestoneAmounts : [amount];
        if (tranches.Count > MaxMilestones)
        {
            throw new DomainException($"An escrow has at most {MaxMilestones} milestones.");
        }

        if (tranches.Any(t => t.IsZero))
        {
            throw new DomainException("Every milestone must release a positive amount.");
        }

        var total = tranches.Aggregate(TokenAmount.Zero, (sum, t) => sum + t);
        if (total != amount)
        {
            throw new DomainException($"The milestones add up to {total}, not the escrowed {amount}.");
        }

        for (var i = 0; i < tranches.Count; i++)
        {
            _milestones.Add(new EscrowMilestone(Id, i, tranches[i]));
        }
    }

    public ChainId ChainId { get; private set; }

    /// <summary>The escrow id in the EscrowManager contract.</summary>
    public long OnChainId { get; private set; }

    public Guid? PurchaseId { get; private set; }

    public EthAddress Buyer { get; private set; }

    public EthAddress Seller { get; private set; }

    /// <summary>What the escrow holds for the seller (the price minus the platform fee).</summary>
    public TokenAmount Amount { get; private set; }

    /// <summary>The platform fee taken at purchase (already with the treasury).</summary>
    public TokenAmount Fee { get; private set; }

    /// <summary>After this moment anyone may release the escrow; before it the buyer may dispute.</summary>
    public DateTimeOffset Deadline { get; private set; }

    public EscrowState State { get; private set; }

    public DateTimeOffset FundedAt { get; private set; }

    public DateTimeOffset? DisputedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public DisputeRuling? Resolution { get; private set; }

    /// <summary>The seller's share in basis points once resolved (10,000 release, 0 refund).</summary>
    public int? SellerShareBps { get; private set; }

    public IReadOnlyCollection<EscrowMilestone> Milestones => _milestones.AsReadOnly();

    public bool IsClosed => State is EscrowState.Released or EscrowState.Refunded or EscrowState.Resolved;

    public TokenAmount ReleasedAmount =>
        _milestones.Where(m => m.ReleasedAt is not null).Aggregate(TokenAmount.Zero, (sum, m) => sum + m.Amount);

    /// <summary>True when anyone may release it now (funded and the deadline has passed).</summary>
    public bool CanAutoRelease(DateTimeOffset now) => State == EscrowState.Funded && now >= Deadline;

    /// <summary>True when the buyer may still open a dispute (over what is still held, like the contract).</summary>
    public bool CanDispute(DateTimeOffset now) => State == EscrowState.Funded && now < Deadline;

    /// <summary>Releases one milestone tranche to the seller; releasing the last one releases the escrow.</summary>
    public void ReleaseMilestone(int index, DateTimeOffset now)
    {
        RequireState(EscrowState.Funded, "release a milestone of");
        var milestone = _milestones.FirstOrDefault(m => m.Index == index)
            ?? throw new DomainException($"Escrow #{OnChainId} has no milestone {index + 1}.");
        if (milestone.ReleasedAt is not null)
        {
            throw new DomainException($"Milestone {index + 1} of escrow #{OnChainId} is already released.");
        }

        milestone.MarkReleased(now);
        if (_milestones.All(m => m.ReleasedAt is not null))
        {
            Close(EscrowState.Released, now);
        }
    }

    /// <summary>Releases everything still held to the seller (buyer confirmed receipt, or anyone after the deadline).</summary>
    public void Release(DateTimeOffset now)
    {
        RequireState(EscrowState.Funded, "release");
        foreach (var m in _milestones.Where(m => m.ReleasedAt is null))
        {
            m.MarkReleased(now);
        }

        Close(EscrowState.Released, now);
    }

    /// <summary>
    /// Returns what is still held to the buyer (the seller agreed, before any dispute). As in the contract's
    /// agreeRefund, milestones already released stay with the seller.
    /// </summary>
    public void Refund(DateTimeOffset now)
    {
        RequireState(EscrowState.Funded, "refund");
        Close(EscrowState.Refunded, now);
    }

    public void OpenDispute(DateTimeOffset now)
    {
        RequireState(EscrowState.Funded, "dispute");
        if (now >= Deadline)
        {
            throw new DomainException($"The review period of escrow #{OnChainId} ended at {Deadline:u}; it can no longer be disputed.");
        }

        // Like the contract, a dispute after some milestones were released is about what is still held.

        State = EscrowState.Disputed;
        DisputedAt = now;
    }

    /// <summary>Applies a dispute's outcome. <paramref name="sellerShareBps"/> is only used for a split (1–9,999).</summary>
    public void Resolve(DisputeRuling ruling, int? sellerShareBps, DateTimeOffset now)
    {
        RequireState(EscrowState.Disputed, "resolve");
        SellerShareBps = NormalizeShare(ruling, sellerShareBps);
        Resolution = ruling;
        Close(EscrowState.Resolved, now);
    }

    /// <summary>The purchase this escrow pays for, once the platform knows the buyer (links are never moved).</summary>
    public void LinkPurchase(Guid purchaseId)
    {
        var id = Guard.Id(purchaseId, "The purchase");
        if (PurchaseId is { } existing && existing != id)
        {
            throw new DomainException($"Escrow #{OnChainId} already belongs to another purchase.");
        }

        PurchaseId = id;
    }

    /// <summary>
    /// Copies the contract's state (the chain is the truth: after a reorganisation a closed escrow may even reopen).
    /// <paramref name="tranchesReleased"/> counts the milestones already paid. Returns whether anything changed.
    /// </summary>
    public bool FollowChain(EscrowState state, int tranchesReleased, int? sellerShareBps, DateTimeOffset now)
    {
        var changed = false;
        var released = state == EscrowState.Released ? _milestones.Count : Math.Clamp(tranchesReleased, 0, _milestones.Count);
        foreach (var m in _milestones)
        {
            var shouldBeReleased = m.Index < released;
            if (shouldBeReleased != (m.ReleasedAt is not null))
            {
                m.SetReleased(shouldBeReleased ? now : null);
                changed = true;
            }
        }

        DisputeRuling? resolution = null;
        int? share = null;
        if (state == EscrowState.Resolved)
        {
            share = Math.Clamp(sellerShareBps ?? 0, 0, 10_000);
            resolution = share switch { 10_000 => DisputeRuling.Release, 0 => DisputeRuling.Refund, _ => DisputeRuling.Split };
        }

        DateTimeOffset? disputedAt = state is EscrowState.Disputed or EscrowState.Resolved ? DisputedAt ?? now : null;
        var closed = state is EscrowState.Released or EscrowState.Refunded or EscrowState.Resolved;
        DateTimeOffset? closedAt = closed ? ClosedAt ?? now : null;
        if (State != state || Resolution != resolution || SellerShareBps != share || DisputedAt != disputedAt || ClosedAt != closedAt)
        {
            State = state;
            Resolution = resolution;
            SellerShareBps = share;
            DisputedAt = disputedAt;
            ClosedAt = closedAt;
            changed = true;
        }

        return changed;
    }

    internal static int NormalizeShare(DisputeRuling ruling, int? sellerShareBps) => ruling switch
    {
        DisputeRuling.Release => 10_000,
        DisputeRuling.Refund => 0,
        DisputeRuling.Split when sellerShareBps is >= 1 and <= 9_999 => sellerShareBps.Value,
        DisputeRuling.Split => throw new DomainException("A split gives the seller between 1 and 9,999 basis points (0.01%–99.99%)."),
        _ => throw new DomainException($"Unknown ruling {ruling}."),
    };

    private void Close(EscrowState state, DateTimeOffset now)
    {
        State = state;
        ClosedAt = now;
    }

    private void RequireState(EscrowState expected, string verb)
    {
        if (IsClosed)
        {
            throw new DomainException($"Cannot {verb} escrow #{OnChainId}: it is already {State.ToString().ToLowerInvariant()}, and a closed escrow never changes.");
        }

        if (State != expected)
        {
            throw new DomainException($"Cannot {verb} escrow #{OnChainId}: it is {State.ToString().ToLowerInvariant()}, and only a {expected.ToString().ToLowerInvariant()} escrow allows that.");
        }
    }
}

/// <summary>One tranche of an escrow (a plain escrow has a single tranche for its whole amount).</summary>
public sealed class EscrowMilestone
{
    private EscrowMilestone()
    {
    }

    internal EscrowMilestone(Guid escrowId, int index, TokenAmount amount)
    {
        EscrowId = escrowId;
        Index = index;
        Amount = amount;
    }

    public Guid EscrowId { get; private set; }

    /// <summary>0-based position.</summary>
    public int Index { get; private set; }

    public TokenAmount Amount { get; private set; }

    public DateTimeOffset? ReleasedAt { get; private set; }

    internal void MarkReleased(DateTimeOffset now) => ReleasedAt = now;

    internal void SetReleased(DateTimeOffset? at) => ReleasedAt = at;
}
