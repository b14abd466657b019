using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain.Messages;

namespace NeuroData.Infrastructure.Chain;

/// <summary>
/// Builds the unsigned <c>eth_sendTransaction</c> requests (to, data, value) that users sign in their own wallet
/// (NeuroData.Web/wwwroot/js/wallet.js <c>sendTransaction</c>). Arguments are checked here so that a bad request never
/// reaches the wallet; the contract still enforces every rule.
/// </summary>
public sealed class TransactionRequestBuilder(ChainContext context) : IWalletTransactionBuilder
{
    public async Task<UnsignedTransaction> ApproveTokenAsync(EthAddress owner, ChainSpender spender, TokenAmount amount, CancellationToken cancellationToken = default)
    {
        var c = await context.GetContractsAsync(cancellationToken);
        var spenderAddress = spender switch
        {
            ChainSpender.DataMarketplace => c.DataMarketplace,
            ChainSpender.EscrowManager => c.EscrowManager,
            ChainSpender.Staking => c.Staking,
            _ => throw new ArgumentOutOfRangeException(nameof(spender), spender, "Unknown spender."),
        };
        return Build(owner, c.NeuroCoin, new ApproveFunction { Spender = spenderAddress.Value, Value = amount.Units });
    }

    public async Task<UnsignedTransaction> CreateListingAsync(EthAddress seller, byte[] contentDigest, TokenAmount price, TimeSpan reviewPeriod, ChainAccessType accessType, int tranches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contentDigest);
        if (contentDigest.Length != 32 || contentDigest.All(b => b == 0))
        {
            throw new DomainException("A listing's content digest must be 32 bytes and not all zero.");
        }

        if (price.IsZero)
        {
            throw new DomainException("A listing needs a price above zero.");
        }

        if (reviewPeriod <= TimeSpan.Zero || reviewPeriod.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new DomainException("The review period must be a positive whole number of seconds.");
        }

        if (tranches is < 1 or > 12)
        {
            throw new DomainException("A listing has 1 to 12 milestone tranches.");
        }

        var c = await context.GetContractsAsync(cancellationToken);
        return Build(seller, c.DataMarketplace, new CreateListingFunction
        {
            ContentDigest = contentDigest,
            Price = price.Units,
            ReviewPeriod = (long)reviewPeriod.TotalSeconds,
            AccessType = (byte)accessType,
            Tranches = tranches,
        });
    }

    public async Task<UnsignedTransaction> PurchaseAsync(EthAddress buyer, long listingId, TokenAmount maxPrice, CancellationToken cancellationToken = default)
    {
        Positive(listingId, "listing");
        var c = await context.GetContractsAsync(cancellationToken);
        return Build(buyer, c.DataMarketplace, new PurchaseFunction { ListingId = listingId, MaxPrice = maxPrice.Units });
    }

    public async Task<string> BuildPurchasePermitAsync(EthAddress buyer, TokenAmount maxPrice, DateTimeOffset deadline, CancellationToken cancellationToken = default)
    {
        if (maxPrice.IsZero)
        {
            throw new DomainException("The permit's amount must be above zero.");
        }

        var c = await context.GetContractsAsync(cancellationToken);
        var eth = context.Web3.Eth;
        var name = await eth.GetContractQueryHandler<NameFunction>().QueryAsync<string>(c.NeuroCoin.Value, new NameFunction()).WaitAsync(cancellationToken);
        var nonce = await eth.GetContractQueryHandler<NoncesFunction>().QueryAsync<BigInteger>(c.NeuroCoin.Value, new NoncesFunction { Owner = buyer.Value }).WaitAsync(cancellationToken);
        var typedData = new
        {
            types = new Dictionary<string, object[]>
            {
                ["EIP712Domain"] =
                [
                    new { name = "name", type = "string" },
                    new { name = "version", type = "string" },
                    new { name = "chainId", type = "uint256" },
                    new { name = "verifyingContract", type = "address" },
                ],
                ["Permit"] =
                [
                    new { name = "owner", type = "address" },
                    new { name = "spender", type = "address" },
                    new { name = "value", type = "uint256" },
                    new { name = "nonce", type = "uint256" },
                    new { name = "deadline", type = "uint256" },
                ],
            },
            primaryType = "Permit",
            domain = new { name, version = "1", chainId = context.Settings.ChainId.Value, verifyingContract = c.NeuroCoin.Value },
            message = new
            {
                owner = buyer.Value,
                spender = c.DataMarketplace.Value,
                value = maxPrice.ToUnitsString(),
                nonce = nonce.ToString(System.Globalization.CultureInfo.InvariantCulture),
                deadline = deadline.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        return System.Text.Json.JsonSerializer.Serialize(typedData);
    }

    public async Task<UnsignedTransaction> PurchaseWithPermitAsync(EthAddress buyer, long listingId, TokenAmount maxPrice, DateTimeOffset deadline, string permitSignature, CancellationToken cancellationToken = default)
    {
        Positive(listingId, "listing");
        var (v, r, s) = SplitSignature(permitSignature);
        var c = await context.GetContractsAsync(cancellationToken);
        return Build(buyer, c.DataMarketplace, new PurchaseWithPermitFunction
        {
            ListingId = listingId,
            MaxPrice = maxPrice.Units,
            Deadline = deadline.ToUnixTimeSeconds(),
            V = v,
            R = r,
            S = s,
        });
    }

    public async Task<UnsignedTransaction> ConfirmReceiptAsync(EthAddress buyer, long escrowId, CancellationToken cancellationToken = default)
    {
        Positive(escrowId, "escrow");
        var c = await context.GetContractsAsync(cancellationToken);
        return Build(buyer, c.EscrowManager, new ConfirmFunction { EscrowId = escrowId });
    }

    public async Task<UnsignedTransaction> OpenDisputeAsync(EthAddress buyer, long escrowId, DisputeMode mode, CancellationToken cancellationToken = default)
    {
        Positive(escrowId, "escrow");
        var c = await context.GetContractsAsync(cancellationToken);
        var onChainMode = mode switch
        {
            DisputeMode.Arbitrator => (byte)0,
            DisputeMode.CommunityVote => (byte)1,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown dispute mode."),
        };
        return Build(buyer, c.EscrowManager, new OpenDisputeFunction { EscrowId = escrowId, Mode = onChainMode });
    }

    public async Task<UnsignedTransaction> WithdrawAsync(EthAddress account, CancellationToken cancellationToken = default)
    {
        var c = await context.GetContractsAsync(cancellationToken);
        return Build(account, c.EscrowManager, new WithdrawFunction());
    }

    public async Task<UnsignedTransaction> StakeAsync(EthAddress staker, TokenAmount amount, CancellationToken cancellationToken = default)
    {
        NonZero(amount, "stake");
        var c = await context.GetContractsAsync(cancellationToken);
        return Build(staker, c.Staking, new StakeFunction { Amount = amount.Units });
    }

    public async Task<UnsignedTransaction> UnstakeAsync(EthAddress staker, TokenAmount amount, CancellationToken cancellationToken = default)
    {
        NonZero(amount, "unstake");
        var c = await context.GetContractsAsync(cancellationToken);
        return Build(staker, c.Staking, new UnstakeFunction { Amount = amount.Units });
    }

    public async Task<UnsignedTransaction> ClaimRewardsAsync(EthAddress staker, CancellationToken cancellationToken = default)
    {
        var c = await context.GetContractsAsync(cancellationToken);
        return Build(staker, c.Staking, new ClaimFunction());
    }

    public async Task<UnsignedTransaction> ApproveListingAsync(EthAddress moderator, long listingId, CancellationToken cancellationToken = default)
    {
        Positive(listingId, "listing");
        var c = await context.GetContractsAsync(cancellationToken);
        return Build(moderator, c.DataMarketplace, new ApproveListingFunction { ListingId = listingId });
    }

    public async Task<UnsignedTransaction> AgreeRefundAsync(EthAddress seller, long escrowId, CancellationToken cancellationToken = default)
    {
        Positive(escrowId, "escrow");
        var c = await context.GetContractsAsync(cancellationToken);
        return Build(seller, c.EscrowManager, new AgreeRefundFunction { EscrowId = escrowId });
    }

    public async Task<UnsignedTransaction> ReleaseAfterDeadlineAsync(EthAddress caller, long escrowId, CancellationToken cancellationToken = default)
    {
        Positive(escrowId, "escrow");
        var c = await context.GetContractsAsync(cancellationToken);
        return Build(caller, c.EscrowManager, new ReleaseAfterDeadlineFunction { EscrowId = escrowId });
    }

    public async Task<UnsignedTransaction> VoteOnDisputeAsync(EthAddress voter, long escrowId, bool forSeller, CancellationToken cancellationToken = default)
    {
        Positive(escrowId, "escrow");
        var c = await context.GetContractsAsync(cancellationToken);
        return Build(voter, c.EscrowManager, new EscrowVoteFunction { EscrowId = escrowId, ForSeller = forSeller });
    }

    public async Task<UnsignedTransaction> RuleOnDisputeAsync(EthAddress arbitrator, long escrowId, int sellerBps, CancellationToken cancellationToken = default)
    {
        Positive(escrowId, "escrow");
        if (sellerBps is < 0 or > 10_000)
        {
            throw new DomainException($"The seller's share must be between 0 and 10,000 basis points (got {sellerBps}).");
        }

        var c = await context.GetContractsAsync(cancellationToken);
        return Build(arbitrator, c.EscrowManager, new RuleFunction { EscrowId = escrowId, SellerBps = sellerBps });
    }

    public async Task<UnsignedTransaction> TallyVoteAsync(EthAddress caller, long escrowId, CancellationToken cancellationToken = default)
    {
        Positive(escrowId, "escrow");
        var c = await context.GetContractsAsync(cancellationToken);
        return Build(caller, c.EscrowManager, new TallyFunction { EscrowId = escrowId });
    }

    /// <summary>Any typed function call to a platform contract, without value.</summary>
    public static UnsignedTransaction Build<TFunction>(EthAddress from, EthAddress to, TFunction function)
        where TFunction : FunctionMessage, new() =>
        new(from, to, function.GetCallData().ToHex(prefix: true).ToLowerInvariant(), BigInteger.Zero);

    /// <summary>Splits a 65-byte r‖s‖v signature (v 27/28 or 0/1) into the contract's v, r, s.</summary>
    public static (byte V, byte[] R, byte[] S) SplitSignature(string signature)
    {
        var hex = signature?.Trim() ?? string.Empty;
        if (!hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || hex.Length != 132 || !hex.AsSpan(2).ContainsOnlyHexDigits())
        {
            throw new DomainException("The permit signature must be 65 bytes of hex (0x followed by 130 hexadecimal digits).");
        }

        var bytes = hex.HexToByteArray();
        var v = bytes[64] < 27 ? (byte)(bytes[64] + 27) : bytes[64];
        if (v is not (27 or 28))
        {
            throw new DomainException("The permit signature has an invalid recovery id (v must be 27 or 28).");
        }

        return (v, bytes[..32], bytes[32..64]);
    }

    private static void Positive(long id, string what)
    {
        if (id <= 0)
        {
            throw new DomainException($"The {what} id must be a positive number (got {id}).");
        }
    }

    private static void NonZero(TokenAmount amount, string what)
    {
        if (amount.IsZero)
        {
            throw new DomainException($"The amount to {what} must be above zero.");
        }
    }
}
