using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain.Messages;

namespace NeuroData.Infrastructure.Chain;

/// <summary>
/// Platform actions signed with the operator key (<see cref="ChainSettings.OperatorKey"/>): moderation of listings.
/// Transactions go one at a time with locally managed nonces and wait for their receipt; a contract refusal becomes a
/// <see cref="ChainTransactionException"/> that names the custom error (e.g. InvalidListingStatus).
/// </summary>
public sealed class OperatorTransactionService : IPlatformChainOperator
{
    private readonly ChainContext _context;
    private readonly ChainTransactionSender _sender;

    public OperatorTransactionService(ChainContext context, ChainSigners signers)
    {
        _context = context;
        _sender = signers.For(context.Settings.OperatorKey);
    }

    public EthAddress Address => _sender.Address;

    public async Task<ChainReceipt> ApproveListingAsync(long listingId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(listingId);
        var contracts = await _context.GetContractsAsync(cancellationToken);
        var receipt = await _sender.SendAsync(contracts.DataMarketplace, new ApproveListingFunction { ListingId = listingId }, cancellationToken);
        return receipt.ToChainReceipt();
    }

    public async Task<ChainReceipt> RejectListingAsync(long listingId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(listingId);
        var text = Guard.Text(reason, "The rejection reason", 500);
        var contracts = await _context.GetContractsAsync(cancellationToken);
        var receipt = await _sender.SendAsync(contracts.DataMarketplace, new RejectListingFunction { ListingId = listingId, Reason = text }, cancellationToken);
        return receipt.ToChainReceipt();
    }

    public async Task<ChainReceipt> ReleaseAfterDeadlineAsync(long escrowId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(escrowId);
        var contracts = await _context.GetContractsAsync(cancellationToken);
        var receipt = await _sender.SendAsync(contracts.EscrowManager, new ReleaseAfterDeadlineFunction { EscrowId = escrowId }, cancellationToken);
        return receipt.ToChainReceipt();
    }
}
