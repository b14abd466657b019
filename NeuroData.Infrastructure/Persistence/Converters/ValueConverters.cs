using System.Globalization;
using System.Numerics;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NeuroData.Domain.Common;

namespace NeuroData.Infrastructure.Persistence.Converters;

/// <summary>EIP-55 checksummed text (42 characters).</summary>
public sealed class EthAddressConverter() : ValueConverter<EthAddress, string>(v => v.Value, s => EthAddress.Parse(s));

/// <summary>Lower-case 0x hex (66 characters).</summary>
public sealed class TxHashConverter() : ValueConverter<TxHash, string>(v => v.Value, s => TxHash.Parse(s));

/// <summary>The CID text as given (CIDv0 base58 or CIDv1 base32).</summary>
public sealed class CidConverter() : ValueConverter<Cid, string>(v => v.Value, s => Cid.Parse(s));

/// <summary>The chain id as a 64-bit integer.</summary>
public sealed class ChainIdConverter() : ValueConverter<ChainId, long>(v => v.Value, l => new ChainId(l));

/// <summary>
/// Stores every <see cref="DateTimeOffset"/> as UTC. On PostgreSQL this feeds <c>timestamptz</c> (which only accepts
/// offset 0); on SQLite it is fixed-width ISO-8601 text ("2026-11-25T10:38:07.1234567Z") so that text order is time
/// order and ORDER BY / comparisons translate.
/// </summary>
public static class UtcTimestamps
{
    public const string SqliteFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public sealed class PostgresConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);

    public sealed class SqliteConverter() : ValueConverter<DateTimeOffset, string>(
        v => v.UtcDateTime.ToString(SqliteFormat, CultureInfo.InvariantCulture),
        s => new DateTimeOffset(DateTime.ParseExact(s, SqliteFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero));
}

/// <summary>
/// The one place a <see cref="TokenAmount"/> meets a column. PostgreSQL: <c>numeric(78,0)</c> through Npgsql's
/// BigInteger mapping (78 digits hold 2^256-1). SQLite has no 256-bit integer: the base units are stored as TEXT
/// left-padded with zeros to 78 digits, so text equality is value equality and text order is numeric order.
/// </summary>
public static class TokenAmountConversion
{
    /// <summary>Digits of 2^256-1.</summary>
    public const int Digits = 78;

    public const string PostgresColumnType = "numeric(78,0)";

    public sealed class PostgresConverter() : ValueConverter<TokenAmount, BigInteger>(v => v.Units, b => TokenAmount.FromUnits(b));

    public sealed class SqliteConverter() : ValueConverter<TokenAmount, string>(v => ToPaddedText(v), s => FromPaddedText(s));

    public static string ToPaddedText(TokenAmount amount) => amount.ToUnitsString().PadLeft(Digits, '0');

    public static TokenAmount FromPaddedText(string text) =>
        TokenAmount.FromUnits(BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture));
}
