using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Indexing;

namespace NeuroData.Infrastructure.Commerce.Disputes;

/// <summary>Who is looking: the signed-in user and whether they hold the Arbitrator or Admin role.</summary>
public sealed record EscrowViewer(Guid UserId, bool IsArbitrator, bool IsAdmin)
{
    public bool MayOversee => IsArbitrator || IsAdmin;
}

/// <summary>One event of an escrow as the timeline shows it.</summary>
public sealed record EscrowTimelineEntry(string Event, string Description, long Block, DateTimeOffset? Time, TxHash Tx);

/// <summary>One tranche: the gross amount, the fee the contract takes from it, and whether it was released.</summary>
public sealed record EscrowTrancheView(int Index, TokenAmount Gross, TokenAmount Fee, bool Released);

/// <summary>An evidence file of a dispute (content-addressed; CID shown).</summary>
public sealed record EvidenceView(Cid Cid, string? Description, string AddedBy, DateTimeOffset AddedAt);

/// <summary>A dispute as the escrow, arbitration and vote pages show it.</summary>
public sealed record DisputeView(
    Guid DisputeId,
    DisputeMode Mode,
    DisputeStatus Status,
    TokenAmount Bond,
    string BuyerStatement,
    string? SellerStatement,
    IReadOnlyList<EvidenceView> Evidence,
    DateTimeOffset OpenedAt,
    int? SellerBps,
    string? RulingReason,
    DateTimeOffset? RuledAt,
    TokenAmount? SellerAmount,
    TokenAmount? BuyerAmount,
    DateTimeOffset? VoteEnd);

/// <summary>Everything the escrow page shows, with what the viewer may do.</summary>
public sealed record EscrowView(
    ChainId ChainId,
    long EscrowId,
    long ListingId,
    string? DatasetTitle,
    Guid? DatasetId,
    EthAddress Buyer,
    EthAddress Seller,
    bool ViewerIsBuyer,
    bool ViewerIsSeller,
    bool ViewerOversees,
    TokenAmount Price,
    int FeeBps,
    TokenAmount Fee,
    TokenAmount SellerShare,
    TokenAmount Released,
    DateTimeOffset Deadline,
    MirrorEscrowState State,
    IReadOnlyList<EscrowTrancheView> Tranches,
    DisputeView? Dispute,
    IReadOnlyList<EscrowTimelineEntry> Timeline,
    DateTimeOffset ChainNow)
{
    public bool IsFunded => State == MirrorEscrowState.Funded;

    public bool DeadlinePassed => ChainNow >= Deadline;

    /// <summary>The buyer confirms receipt (releases the next tranche, or everything).</summary>
    public bool CanConfirm => ViewerIsBuyer && IsFunded;

    /// <summary>The buyer disputes, before the deadline.</summary>
    public bool CanDispute => ViewerIsBuyer && IsFunded && !DeadlinePassed;

    /// <summary>The seller refunds the buyer (before any dispute).</summary>
    public bool CanAgreeRefund => ViewerIsSeller && IsFunded;

    /// <summary>Anyone releases to the seller once the deadline has passed.</summary>
    public bool CanRelease => IsFunded && DeadlinePassed;

    /// <summary>Either party may add a statement or evidence while the dispute is open.</summary>
    public bool CanAddEvidence => (ViewerIsBuyer || ViewerIsSeller) && Dispute is { Status: DisputeStatus.Open };

    /// <summary>What is still held (the disputed amount).</summary>
    public TokenAmount Held => Price - Released;
}

/// <summary>An evidence file the buyer or seller uploads.</summary>
public sealed record EvidenceUpload(string FileName, Func<Stream> Open);

/// <summary>What the buyer signs to open a dispute: the bond, an approve when the allowance is short, then openDispute.</summary>
public sealed record DisputePreparation(Guid ClaimId, TokenAmount Bond, UnsignedTransaction? Approve, UnsignedTransaction OpenDispute, IReadOnlyList<Cid> Evidence);
