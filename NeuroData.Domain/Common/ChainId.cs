namespace NeuroData.Domain.Common;

/// <summary>An EIP-155 chain id (1 Ethereum mainnet, 137 Polygon, 31337 the local dev chain). Always positive.</summary>
public readonly record struct ChainId
{
    public static readonly ChainId LocalDev = new(31337);

    public ChainId(long value)
    {
        if (value <= 0)
        {
            throw new DomainException($"A chain id must be a positive number (got {value}).");
        }

        Value = value;
    }

    public long Value { get; }

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
