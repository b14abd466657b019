using NeuroData.Domain.Common;

namespace NeuroData.Domain.Commerce;

/// <summary>
/// What a buyer wrote before signing <c>openDispute</c> in their wallet: the reason and the evidence files (by CID).
/// The chain decides whether a dispute exists; when DisputeOpened is indexed the dispute reconciler turns the latest
/// claim of that escrow's buyer into the <see cref="Dispute"/>. A claim whose transaction never happens stays unused.
/// </summary>
public sealed class DisputeClaim : Entity
{
    private readonly List<DisputeClaimEvidence> _evidence = [];

    private DisputeClaim()
    {
        Reason = null!;
    }

    public DisputeClaim(ChainId chainId, long escrowOnChainId, Guid buyerId, string reason, DisputeMode mode, DateTimeOffset now)
    {
        ChainId = chainId;
        EscrowOnChainId = escrowOnChainId > 0 ? escrowOnChainId : throw new DomainException("An on-chain escrow id is a positive number.");
        BuyerId = Guard.Id(buyerId, "The buyer");
        Reason = Guard.Text(reason, "A dispute reason", Dispute.ReasonMaxLength);
        Mode = mode;
        CreatedAt = now;
    }

    public ChainId ChainId { get; private set; }

    public long EscrowOnChainId { get; private set; }

    public Guid BuyerId { get; private set; }

    public string Reason { get; private set; }

    public DisputeMode Mode { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyCollection<DisputeClaimEvidence> Evidence => _evidence.AsReadOnly();

    public void AddEvidence(Cid cid, string? description)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (_evidence.Any(e => e.Cid == cid))
        {
            return; // the same file twice is one piece of evidence
        }

        if (_evidence.Count >= Dispute.MaxEvidence)
        {
            throw new DomainException($"A dispute holds at most {Dispute.MaxEvidence} pieces of evidence.");
        }

        _evidence.Add(new DisputeClaimEvidence(Id, cid, description));
    }
}

/// <summary>An evidence file of a <see cref="DisputeClaim"/>.</summary>
public sealed class DisputeClaimEvidence : Entity
{
    private DisputeClaimEvidence()
    {
        Cid = null!;
    }

    internal DisputeClaimEvidence(Guid claimId, Cid cid, string? description)
    {
        ClaimId = claimId;
        Cid = cid;
        Description = Guard.OptionalText(description, "Evidence description", DisputeEvidence.DescriptionMaxLength);
    }

    public Guid ClaimId { get; private set; }

    public Cid Cid { get; private set; }

    public string? Description { get; private set; }
}
