using System.Globalization;
using System.Numerics;
using System.Text;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.Model;
using Nethereum.Hex.HexConvertors.Extensions;

namespace NeuroData.Infrastructure.Chain;

/// <summary>A revert reason decoded from its return data.</summary>
/// <param name="Name">The custom error's name ("InvalidListingStatus"), "Error" for require messages, "Panic" for
/// assertion/arithmetic failures, or null when the selector is unknown.</param>
/// <param name="Arguments">The error's arguments by name, in order.</param>
/// <param name="Description">A readable form, e.g. <c>InvalidListingStatus(listingId: 1, status: 2)</c>.</param>
public sealed record DecodedRevert(string? Name, IReadOnlyList<KeyValuePair<string, object?>> Arguments, string Description);

/// <summary>
/// Decodes revert data with the custom errors of every platform contract's ABI, plus Solidity's built-in
/// <c>Error(string)</c> and <c>Panic(uint256)</c>.
/// </summary>
public sealed class ContractErrorDecoder
{
    private const string ErrorSelector = "08c379a0";
    private const string PanicSelector = "4e487b71";

    private readonly Dictionary<string, ErrorABI> _errors = new(StringComparer.Ordinal);

    public ContractErrorDecoder(ContractArtifacts artifacts)
    {
        var deserialiser = new ABIJsonDeserialiser();
        foreach (var artifact in artifacts.All)
        {
            var contract = deserialiser.DeserialiseContract(artifact.AbiJson);
            foreach (var error in contract.Errors)
            {
                _errors.TryAdd(error.Sha3Signature.ToLowerInvariant(), error);
            }
        }
    }

    /// <summary>Number of distinct custom errors known.</summary>
    public int KnownErrorCount => _errors.Count;

    /// <summary>Decodes 0x-prefixed revert data; null for empty data (a revert without reason).</summary>
    public DecodedRevert? Decode(string? revertData)
    {
        var hex = revertData?.Trim();
        if (string.IsNullOrEmpty(hex) || hex == "0x")
        {
            return null;
        }

        hex = hex.RemoveHexPrefix().ToLowerInvariant();
        if (hex.Length < 8)
        {
            return new DecodedRevert(null, [], $"unrecognised revert data 0x{hex}");
        }

        var selector = hex[..8];
        var body = "0x" + hex[8..];
        try
        {
            if (selector == ErrorSelector)
            {
                var message = new ParameterDecoder().DecodeDefaultData(body, new Parameter("string", "message", 1))[0].Result as string ?? string.Empty;
                return new DecodedRevert("Error", [new("message", message)], $"Error(\"{message}\")");
            }

            if (selector == PanicSelector)
            {
                var code = (BigInteger)new ParameterDecoder().DecodeDefaultData(body, new Parameter("uint256", "code", 1))[0].Result;
                return new DecodedRevert("Panic", [new("code", code)], $"Panic(0x{code.ToString("x2", CultureInfo.InvariantCulture)}: {PanicMeaning(code)})");
            }

            if (_errors.TryGetValue(selector, out var error))
            {
                var outputs = new ParameterDecoder().DecodeDefaultData(body, error.InputParameters);
                var args = outputs.Select(o => new KeyValuePair<string, object?>(o.Parameter.Name, o.Result)).ToList();
                var text = new StringBuilder(error.Name).Append('(');
                text.AppendJoin(", ", args.Select(a => $"{a.Key}: {Format(a.Value)}"));
                text.Append(')');
                return new DecodedRevert(error.Name, args, text.ToString());
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or IndexOutOfRangeException or OverflowException)
        {
            return new DecodedRevert(null, [], $"malformed revert data for selector 0x{selector}");
        }

        return new DecodedRevert(null, [], $"unknown custom error 0x{selector}");
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        byte[] bytes => "0x" + Convert.ToHexStringLower(bytes),
        BigInteger n => n.ToString(CultureInfo.InvariantCulture),
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string PanicMeaning(BigInteger code) => (int)(code & 0xff) switch
    {
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division by zero",
        0x21 => "invalid enum value",
        0x31 => "pop on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "out of memory",
        0x51 => "call to an uninitialised function",
        _ => "panic",
    };
}
