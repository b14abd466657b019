using NeuroData.Domain.Common;

namespace NeuroData.Domain.Commerce;

public enum DisputeMode
{
    /// <summary>An arbitrator (role, never a party) rules.</summary>
    Arbitrator,

    /// <summary>Stakers vote with weights snapshotted when the dispute opened.</summary>
    CommunityVote,
}

public enum DisputeStatus
{
    Open,
    Ruled,
}

/// <summary>
/// A buyer's dispute over an escrow: reason, evidence (CIDs of uploaded files), the bond they posted, and the ruling.
/// Opening a dispute moves its escrow to Disputed; the ruling resolves it. One dispute per escrow.
/// </summary>
public sealed class Dispute : Entity
{
    public const int ReasonMaxLength = 4000;
    public const int MaxEvidence = 20;

    private readonly List<DisputeEvidence> _evidence = [];

    private Dispute()
    {
        Reason = null!;
    }

    private Dispute(Guid escrowId, Guid openedById, Guid buyerId, Guid sellerId, string reason, TokenAmount bond, DisputeMode mode, DateTimeOffset now)
    {
        EscrowId = escrowId;
        OpenedById = openedById;
        BuyerId = buyerId;
        SellerId = sellerId;
        Reason = reason;
        Bond = bond;
        Mode = mode;
        OpenedAt = now;
        Status = DisputeStatus.Open;
    }

    public Guid EscrowId { get; private set; }

    public Guid OpenedById { get; private set; }

    /// <summary>The buyer's user id (a party).</summary>
    public Guid BuyerId { get; private set; }

    /// <summary>The seller's user id (a party).</summary>
    public Guid SellerId { get; private set; }

    public string Reason { get; private set; }

    /// <summary>The bond the buyer posted to open the dispute.</summary>
    public TokenAmount Bond { get; private set; }

    public DisputeMode Mode { get; private set; }

    public DisputeStatus Status { get; private set; }

    public Guid? ArbitratorId { get; private set; }

    public DisputeRuling? Ruling { get; private set; }

    /// <summary>Seller's share in basis points (10,000 for release, 0 for refund, 1–9,999 for a split).</summary>
    public int? SellerShareBps { get; private set; }

    /// <summary>The written reasons for the ruling.</summary>
    public string? RulingReason { get; private set; }

    public DateTimeOffset OpenedAt { get; private set; }

    public DateTimeOffset? RuledAt { get; private set; }

    public IReadOnlyCollection<DisputeEvidence> Evidence => _evidence.AsReadOnly();

    /// <summary>Opens a dispute on a funded escrow before its deadline; the escrow becomes Disputed.</summary>
    public static Dispute Open(Escrow escrow, Guid openedById, Guid buyerId, Guid sellerId, string reason, TokenAmount bond, DisputeMode mode, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(escrow);
        Guard.Id(openedById, "Who opens the dispute");
        Guard.Id(buyerId, "The buyer");
        Guard.Id(sellerId, "The seller");
        var why = Guard.Text(reason, "A dispute reason", ReasonMaxLength);
        if (openedById != buyerId)
        {
            throw new DomainException("Only the buyer can open a dispute.");
        }

        escrow.OpenDispute(now);
        return new Dispute(escrow.Id, openedById, buyerId, sellerId, why, bond, mode, now);
    }

    public bool IsParty(Guid userId) => userId == BuyerId || userId == SellerId;

    public void AddEvidence(Cid cid, Guid addedById, string? description, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cid);
        RequireOpen("add evidence to");
        if (!IsParty(addedById))
        {
            throw new DomainException("Only the buyer or the seller can add evidence.");
        }

        if (_evidence.Any(e => e.Cid == cid))
        {
            throw new DomainException($"Evidence {cid} is already attached.");
        }

        if (_evidence.Count >= MaxEvidence)
        {
            throw new DomainException($"A dispute holds at most {MaxEvidence} pieces of evidence.");
        }

        _evidence.Add(new DisputeEvidence(Id, cid, addedById, description, now));
    }

    public void AssignArbitrator(Guid arbitratorId)
    {
        Guard.Id(arbitratorId, "The arbitrator");
        RequireOpen("assign an arbitrator to");
        if (Mode != DisputeMode.Arbitrator)
        {
            throw new DomainException("This dispute is decided by a community vote, not an arbitrator.");
        }

        if (IsParty(arbitratorId))
        {
            throw new DomainException("An arbitrator cannot rule on a dispute they are party to.");
        }

        ArbitratorId = arbitratorId;
    }

    /// <summary>The assigned arbitrator rules; the escrow is resolved with the same outcome.</summary>
    public void Rule(Escrow escrow, Guid arbitratorId, DisputeRuling ruling, int? sellerShareBps, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(escrow);
        RequireOpen("rule on");
        if (Mode != DisputeMode.Arbitrator)
        {
            throw new DomainException("This dispute is decided by a community vote, not an arbitrator.");
        }

        if (ArbitratorId is null || ArbitratorId != arbitratorId)
        {
            throw new DomainException("Only the arbitrator assigned to this dispute can rule on it.");
        }

        Decide(escrow, ruling, sellerShareBps, Guard.Text(reason, "The reasons for the ruling", ReasonMaxLength), now);
    }

    /// <summary>Records the tallied outcome of a community vote; the escrow is resolved with it.</summary>
    public void RecordVoteOutcome(Escrow escrow, DisputeRuling ruling, int? sellerShareBps, string? summary, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(escrow);
        RequireOpen("record a vote on");
        if (Mode != DisputeMode.CommunityVote)
        {
            throw new DomainException("This dispute is decided by an arbitrator, not a community vote.");
        }

        Decide(escrow, ruling, sellerShareBps, Guard.OptionalText(summary, "The vote summary", ReasonMaxLength) ?? "Decided by a vote of stakers.", now);
    }

    private void Decide(Escrow escrow, DisputeRuling ruling, int? sellerShareBps, string reason, DateTimeOffset now)
    {
        if (escrow.Id != EscrowId)
        {
            throw new DomainException("This ruling was given for a different escrow.");
        }

        var share = Escrow.NormalizeShare(ruling, sellerShareBps);
        escrow.Resolve(ruling, share, now);
        Ruling = ruling;
        SellerShareBps = share;
        RulingReason = reason;
        RuledAt = now;
        Status = DisputeStatus.Ruled;
    }

    /// <summary>The seller's side of the story (null until the seller writes it).</summary>
    public string? SellerStatement { get; private set; }

    public DateTimeOffset? SellerStatementAt { get; private set; }

    /// <summary>The seller share (bps) the assigned arbitrator is about to sign on chain; with <see cref="ProposedReason"/>.</summary>
    public int? ProposedSellerBps { get; private set; }

    /// <summary>The written reason the arbitrator gave before signing the ruling; it becomes the ruling reason once the chain agrees.</summary>
    public string? ProposedReason { get; private set; }

    /// <summary>
    /// A dispute that the chain already opened (DisputeOpened was indexed): the escrow row follows the chain on its own,
    /// so this does not move it. <paramref name="reason"/> is the buyer's statement written in the app before signing,
    /// or a note that the dispute was opened outside the app.
    /// </summary>
    public static Dispute FromChain(Escrow escrow, Guid buyerId, Guid sellerId, string reason, TokenAmount bond, DisputeMode mode, DateTimeOffset openedAt)
    {
        ArgumentNullException.ThrowIfNull(escrow);
        Guard.Id(buyerId, "The buyer");
        Guard.Id(sellerId, "The seller");
        if (buyerId == sellerId)
        {
            throw new DomainException("The buyer and the seller of a dispute must be different users.");
        }

        return new Dispute(escrow.Id, buyerId, buyerId, sellerId, Guard.Text(reason, "A dispute reason", ReasonMaxLength), bond, mode, openedAt);
    }

    /// <summary>The seller writes (or rewrites) their statement while the dispute is open.</summary>
    public void SubmitSellerStatement(Guid sellerId, string statement, DateTimeOffset now)
    {
        RequireOpen("answer");
        if (sellerId != SellerId)
        {
            throw new DomainException("Only the seller can answer this dispute.");
        }

        SellerStatement = Guard.Text(statement, "The seller's statement", ReasonMaxLength);
        SellerStatementAt = now;
    }

    /// <summary>
    /// An arbitrator (never a party) states the ruling they are about to sign: seller share in bps (10,000 release,
    /// 0 refund, 1–9,999 split) and the written reason. Assigns the case to them; another arbitrator may take it over
    /// until the chain records a ruling.
    /// </summary>
    public void ProposeRuling(Guid arbitratorId, int sellerBps, string reason)
    {
        if (sellerBps is < 0 or > 10_000)
        {
            throw new DomainException("The seller's share is between 0 and 10,000 basis points (0%–100%).");
        }

        var why = Guard.Text(reason, "The reasons for the ruling", ReasonMaxLength);
        RequireOpen("rule on");
        if (Mode != DisputeMode.Arbitrator)
        {
            throw new DomainException("This dispute is decided by a community vote, not an arbitrator.");
        }

        if (IsParty(arbitratorId))
        {
            throw new DomainException("An arbitrator cannot rule on a dispute they are party to.");
        }

        ArbitratorId = Guard.Id(arbitratorId, "The arbitrator");
        ProposedSellerBps = sellerBps;
        ProposedReason = why;
    }

    /// <summary>
    /// The chain resolved the dispute (DisputeResolved was indexed). The escrow row follows the chain on its own. The
    /// arbitrator's proposed reason is kept when the chain's share matches it; otherwise <paramref name="fallbackReason"/>.
    /// Idempotent: recording the same outcome again changes nothing.
    /// </summary>
    public bool RecordChainOutcome(int sellerBps, Guid? arbitratorId, string fallbackReason, DateTimeOffset now)
    {
        var ruling = sellerBps switch
        {
            10_000 => DisputeRuling.Release,
            0 => DisputeRuling.Refund,
            >= 1 and <= 9_999 => DisputeRuling.Split,
            _ => throw new DomainException($"A seller share of {sellerBps} basis points is not a valid outcome."),
        };
        if (Status == DisputeStatus.Ruled)
        {
            if (SellerShareBps == sellerBps)
            {
                return false;
            }

            throw new DomainException($"This dispute was already ruled {SellerShareBps} bps for the seller; the chain now says {sellerBps}.");
        }

        var reason = arbitratorId is not null && arbitratorId == ArbitratorId && ProposedSellerBps == sellerBps && ProposedReason is not null
            ? ProposedReason
            : Guard.Text(fallbackReason, "The ruling summary", ReasonMaxLength);
        if (arbitratorId is not null)
        {
            ArbitratorId = arbitratorId;
        }

        Ruling = ruling;
        SellerShareBps = sellerBps;
        RulingReason = reason;
        RuledAt = now;
        Status = DisputeStatus.Ruled;
        return true;
    }

    private void RequireOpen(string verb)
    {
        if (Status != DisputeStatus.Open)
        {
            throw new DomainException($"Cannot {verb} this dispute: it was already ruled ({Ruling}), and a ruling is final.");
        }
    }
}

/// <summary>A file (by CID) a party attached to a dispute.</summary>
public sealed class DisputeEvidence : Entity
{
    public const int DescriptionMaxLength = 500;

    private DisputeEvidence()
    {
        Cid = null!;
    }

    internal DisputeEvidence(Guid disputeId, Cid cid, Guid addedById, string? description, DateTimeOffset now)
    {
        DisputeId = disputeId;
        Cid = cid;
        AddedById = addedById;
        Description = Guard.OptionalText(description, "Evidence description", DescriptionMaxLength);
        AddedAt = now;
    }

    public Guid DisputeId { get; private set; }

    public Cid Cid { get; private set; }

    public Guid AddedById { get; private set; }

    public string? Description { get; private set; }

    public DateTimeOffset AddedAt { get; private set; }
}
