using System.Globalization;
using System.Text;
using NeuroData.Domain.Common;

namespace NeuroData.Domain.Auth;

/// <summary>
/// A Sign-In with Ethereum message (EIP-4361), parsed strictly by the EIP's ABNF: fixed field order, case-sensitive
/// literals, an EIP-55 checksummed address, a nonce of at least 8 alphanumerics, RFC 3339 times that exist on the
/// calendar, RFC 3986 URIs. <see cref="Parse"/> throws <see cref="FormatException"/> with the reason; 
/// <see cref="ToMessageString"/> gives back the exact text that was parsed.
/// </summary>
public sealed class SiweMessage
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private const string Preamble = " wants you to sign in with your Ethereum account:";
    private const string UriTag = "URI: ";
    private const string VersionTag = "Version: ";
    private const string ChainIdTag = "Chain ID: ";
    private const string NonceTag = "Nonce: ";
    private const string IssuedAtTag = "Issued At: ";
    private const string ExpirationTag = "Expiration Time: ";
    private const string NotBeforeTag = "Not Before: ";
    private const string RequestIdTag = "Request ID: ";
    private const string ResourcesTag = "Resources:";

    private string _issuedAtText = string.Empty;
    private string? _expirationText;
    private string? _notBeforeText;
    private string? _chainIdText;
    private bool _resourcesHeader;

    private SiweMessage()
    {
    }

    /// <summary>URI scheme of the requesting origin ("https"), or null when the message omits it.</summary>
    public string? Scheme { get; private init; }

    /// <summary>RFC 3986 authority of the requesting origin, e.g. "example.com" or "localhost:5000".</summary>
    public string Domain { get; private init; } = string.Empty;

    /// <summary>The signing address in its EIP-55 checksummed form.</summary>
    public string Address { get; private init; } = string.Empty;

    /// <summary>Human-readable assertion the user signs, or null.</summary>
    public string? Statement { get; private init; }

    /// <summary>RFC 3986 URI of the resource that is the subject of the signing.</summary>
    public string Uri { get; private init; } = string.Empty;

    /// <summary>Always "1".</summary>
    public string Version { get; private init; } = "1";

    /// <summary>EIP-155 chain id the session is bound to.</summary>
    public long ChainId { get; private init; }

    /// <summary>At least 8 alphanumeric characters, chosen by the server to prevent replay.</summary>
    public string Nonce { get; private init; } = string.Empty;

    public DateTimeOffset IssuedAt { get; private init; }

    public DateTimeOffset? ExpirationTime { get; private init; }

    public DateTimeOffset? NotBefore { get; private init; }

    public string? RequestId { get; private init; }

    public IReadOnlyList<string> Resources { get; private init; } = [];

    /// <summary>Builds a message from its parts, validating each as <see cref="Parse"/> would.</summary>
    public static SiweMessage Create(
        string? scheme,
        string domain,
        string address,
        string? statement,
        string uri,
        long chainId,
        string nonce,
        DateTimeOffset issuedAt,
        DateTimeOffset? expirationTime = null,
        DateTimeOffset? notBefore = null,
        string? requestId = null,
        IReadOnlyList<string>? resources = null)
    {
        var draft = new SiweMessage
        {
            Scheme = scheme,
            Domain = domain,
            Address = address,
            Statement = statement,
            Uri = uri,
            ChainId = chainId,
            Nonce = nonce,
            IssuedAt = issuedAt,
            ExpirationTime = expirationTime,
            NotBefore = notBefore,
            RequestId = requestId,
            Resources = resources ?? [],
            _issuedAtText = FormatTime(issuedAt),
            _expirationText = expirationTime is { } e ? FormatTime(e) : null,
            _notBeforeText = notBefore is { } n ? FormatTime(n) : null,
        };

        // One source of truth for validity: what we build must parse back to itself.
        return Parse(draft.ToMessageString());
    }

    /// <summary>Parses a message; throws <see cref="FormatException"/> saying what is wrong when it breaks the ABNF.</summary>
    public static SiweMessage Parse(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Contains('\r', StringComparison.Ordinal))
        {
            throw Fail("lines must end with LF only (a CR was found)");
        }

        if (message.EndsWith('\n'))
        {
            throw Fail("the message must not end with a line break");
        }

        var lines = message.Split('\n');
        var i = 0;

        string Next(string what)
        {
            if (i >= lines.Length)
            {
                throw Fail($"the message ends before {what}");
            }

            return lines[i++];
        }

        // Line 1: [ scheme "://" ] domain " wants you to sign in with your Ethereum account:"
        var first = Next("the first line");
        if (!first.EndsWith(Preamble, StringComparison.Ordinal))
        {
            throw Fail("the first line must end with \"" + Preamble.TrimStart() + "\"");
        }

        var origin = first[..^Preamble.Length];
        string? scheme = null;
        var schemeEnd = origin.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            scheme = origin[..schemeEnd];
            if (!IsScheme(scheme))
            {
                throw Fail($"'{scheme}' is not a valid URI scheme");
            }

            origin = origin[(schemeEnd + 3)..];
        }

        if (!IsAuthority(origin))
        {
            throw Fail($"'{origin}' is not a valid domain (RFC 3986 authority)");
        }

        // Line 2: address
        var address = Next("the address");
        if (!IsHexAddress(address))
        {
            throw Fail("the address must be 0x followed by 40 hexadecimal digits");
        }

        if (!string.Equals(EthAddress.ToChecksum(address[2..]), address, StringComparison.Ordinal))
        {
            throw Fail("the address is not in EIP-55 checksummed form");
        }

        // LF [ statement LF ] LF
        if (Next("the blank line after the address").Length != 0)
        {
            throw Fail("a blank line must follow the address");
        }

        string? statement = null;
        var afterBlank = Next("the statement or URI");
        if (afterBlank.Length != 0)
        {
            if (afterBlank.StartsWith(UriTag, StringComparison.Ordinal))
            {
                throw Fail("a second blank line must precede \"URI: \" when there is no statement");
            }

            statement = afterBlank;
            if (!IsStatement(statement))
            {
                throw Fail("the statement may contain only RFC 3986 reserved and unreserved characters and spaces");
            }

            if (Next("the blank line after the statement").Length != 0)
            {
                throw Fail("a blank line must follow the statement");
            }
        }

        var uri = Field(Next("the URI"), UriTag, "URI");
        if (!IsUri(uri))
        {
            throw Fail($"'{uri}' is not a valid RFC 3986 URI");
        }

        var version = Field(Next("the version"), VersionTag, "Version");
        if (version != "1")
        {
            throw Fail($"the version must be 1, not '{version}'");
        }

        var chainText = Field(Next("the chain id"), ChainIdTag, "Chain ID");
        if (chainText.Length == 0 || !chainText.All(IsDigit)
            || !long.TryParse(chainText, NumberStyles.None, CultureInfo.InvariantCulture, out var chainId))
        {
            throw Fail($"'{Truncate(chainText)}' is not a valid chain id (decimal digits)");
        }

        var nonce = Field(Next("the nonce"), NonceTag, "Nonce");
        if (nonce.Length < 8 || !nonce.All(char.IsAsciiLetterOrDigit))
        {
            throw Fail("the nonce must be at least 8 letters or digits");
        }

        var issuedText = Field(Next("the issue time"), IssuedAtTag, "Issued At");
        var issuedAt = ParseTime(issuedText, "Issued At");

        string? expirationText = null;
        string? notBeforeText = null;
        string? requestId = null;
        var resources = new List<string>();
        DateTimeOffset? expiration = null;
        DateTimeOffset? notBefore = null;

        if (i < lines.Length && lines[i].StartsWith(ExpirationTag, StringComparison.Ordinal))
        {
            expirationText = lines[i++][ExpirationTag.Length..];
            expiration = ParseTime(expirationText, "Expiration Time");
        }

        if (i < lines.Length && lines[i].StartsWith(NotBeforeTag, StringComparison.Ordinal))
        {
            notBeforeText = lines[i++][NotBeforeTag.Length..];
            notBefore = ParseTime(notBeforeText, "Not Before");
        }

        if (i < lines.Length && lines[i].StartsWith(RequestIdTag, StringComparison.Ordinal))
        {
            requestId = lines[i++][RequestIdTag.Length..];
            if (!IsPcharString(requestId))
            {
                throw Fail("the request id may contain only RFC 3986 path characters");
            }
        }

        var resourcesHeader = false;
        if (i < lines.Length && lines[i] == ResourcesTag)
        {
            resourcesHeader = true;
            i++;
            while (i < lines.Length)
            {
                var line = lines[i];
                if (!line.StartsWith("- ", StringComparison.Ordinal))
                {
                    throw Fail("each resource must be on its own line starting with \"- \"");
                }

                var resource = line[2..];
                if (!IsUri(resource))
                {
                    throw Fail($"resource '{resource}' is not a valid RFC 3986 URI");
                }

                resources.Add(resource);
                i++;
            }
        }

        if (i < lines.Length)
        {
            var extra = lines[i];
            throw Fail(extra.Length == 0
                ? "the message must not end with a line break or contain blank lines after the fields"
                : $"unexpected line '{Truncate(extra)}' (fields must appear in the order of EIP-4361)");
        }

        return new SiweMessage
        {
            Scheme = scheme,
            Domain = origin,
            Address = address,
            Statement = statement,
            Uri = uri,
            Version = version,
            ChainId = chainId,
            Nonce = nonce,
            IssuedAt = issuedAt,
            ExpirationTime = expiration,
            NotBefore = notBefore,
            RequestId = requestId,
            Resources = resources,
            _issuedAtText = issuedText,
            _expirationText = expirationText,
            _notBeforeText = notBeforeText,
            _chainIdText = chainText,
            _resourcesHeader = resourcesHeader,
        };
    }

    /// <summary>Tries to parse; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string message, out SiweMessage? result, out string? error)
    {
        try
        {
            result = Parse(message);
            error = null;
            return true;
        }
        catch (FormatException ex)
        {
            result = null;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>The message text exactly as EIP-4361 lays it out (and exactly as parsed).</summary>
    public string ToMessageString()
    {
        var sb = new StringBuilder();
        if (Scheme is not null)
        {
            sb.Append(Scheme).Append("://");
        }

        sb.Append(Domain).Append(Preamble).Append('\n');
        sb.Append(Address).Append('\n');
        sb.Append('\n');
        if (Statement is not null)
        {
            sb.Append(Statement).Append('\n');
        }

        sb.Append('\n');
        sb.Append(UriTag).Append(Uri).Append('\n');
        sb.Append(VersionTag).Append(Version).Append('\n');
        sb.Append(ChainIdTag).Append(_chainIdText ?? ChainId.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append(NonceTag).Append(Nonce).Append('\n');
        sb.Append(IssuedAtTag).Append(_issuedAtText);
        if (_expirationText is not null)
        {
            sb.Append('\n').Append(ExpirationTag).Append(_expirationText);
        }

        if (_notBeforeText is not null)
        {
            sb.Append('\n').Append(NotBeforeTag).Append(_notBeforeText);
        }

        if (RequestId is not null)
        {
            sb.Append('\n').Append(RequestIdTag).Append(RequestId);
        }

        // The ABNF allows "Resources:" with no entries; keep it when it was there, so the signed text is reproduced.
        if (Resources.Count > 0 || _resourcesHeader)
        {
            sb.Append('\n').Append(ResourcesTag);
            foreach (var r in Resources)
            {
                sb.Append("\n- ").Append(r);
            }
        }

        return sb.ToString();
    }

    public override string ToString() => ToMessageString();

    /// <summary>RFC 3339 UTC text with millisecond precision, e.g. 2026-11-25T10:00:00.000Z.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Field(string line, string tag, string name)
    {
        if (!line.StartsWith(tag, StringComparison.Ordinal))
        {
            throw Fail($"expected the \"{name}\" field here, found '{Truncate(line)}'");
        }

        return line[tag.Length..];
    }

    private static FormatException Fail(string reason) => new("Not a valid Sign-In with Ethereum message: " + reason + ".");

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsHexAddress(string s) =>
        s.Length == 42 && s[0] == '0' && s[1] == 'x' && !s.AsSpan(2).ContainsAnyExcept(HexDigits);

    // RFC 3339 date-time: full-date "T" full-time, time-offset "Z" / ("+"/"-") hh ":" mm. Must exist on the calendar.
    private static DateTimeOffset ParseTime(string text, string name)
    {
        var s = text;
        if (!(s.Length >= 19
              && Digits(s, 0, 4) && s[4] == '-' && Digits(s, 5, 2) && s[7] == '-' && Digits(s, 8, 2)
              && (s[10] == 'T' || s[10] == 't')
              && Digits(s, 11, 2) && s[13] == ':' && Digits(s, 14, 2) && s[16] == ':' && Digits(s, 17, 2)))
        {
            throw Fail($"{name} '{Truncate(text)}' is not an RFC 3339 date-time");
        }

        var p = 19;
        var fraction = 0L;
        var fractionDigits = 0;
        if (p < s.Length && s[p] == '.')
        {
            p++;
            var start = p;
            while (p < s.Length && IsDigit(s[p]))
            {
                p++;
            }

            if (p == start)
            {
                throw Fail($"{name} has a decimal point without fraction digits");
            }

            var frac = s[start..p];
            fractionDigits = Math.Min(frac.Length, 7);
            fraction = long.Parse(frac[..fractionDigits], CultureInfo.InvariantCulture);
        }

        TimeSpan offset;
        var rest = s[p..];
        if (rest is "Z" or "z")
        {
            offset = TimeSpan.Zero;
        }
        else if (rest.Length == 6 && (rest[0] == '+' || rest[0] == '-') && Digits(rest, 1, 2) && rest[3] == ':' && Digits(rest, 4, 2))
        {
            var oh = int.Parse(rest.AsSpan(1, 2), CultureInfo.InvariantCulture);
            var om = int.Parse(rest.AsSpan(4, 2), CultureInfo.InvariantCulture);
            if (oh > 23 || om > 59)
            {
                throw Fail($"{name} has an impossible time offset");
            }

            offset = new TimeSpan(oh, om, 0);
            if (rest[0] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            throw Fail($"{name} '{Truncate(text)}' needs a time zone (Z or ±hh:mm)");
        }

        var year = int.Parse(s.AsSpan(0, 4), CultureInfo.InvariantCulture);
        var month = int.Parse(s.AsSpan(5, 2), CultureInfo.InvariantCulture);
        var day = int.Parse(s.AsSpan(8, 2), CultureInfo.InvariantCulture);
        var hour = int.Parse(s.AsSpan(11, 2), CultureInfo.InvariantCulture);
        var minute = int.Parse(s.AsSpan(14, 2), CultureInfo.InvariantCulture);
        var second = int.Parse(s.AsSpan(17, 2), CultureInfo.InvariantCulture);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            throw Fail($"{name} '{Truncate(text)}' is not a date and time that exists");
        }

        var ticks = fraction * (long)Math.Pow(10, 7 - fractionDigits);
        try
        {
            return new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Fail($"{name} '{Truncate(text)}' is out of range");
        }
    }

    private static bool Digits(string s, int start, int count)
    {
        if (start + count > s.Length)
        {
            return false;
        }

        for (var k = start; k < start + count; k++)
        {
            if (!IsDigit(s[k]))
            {
                return false;
            }
        }

        return true;
    }

    // ---- RFC 3986 character classes ----
    private const string SubDelims = "!$&'()*+,;=";
    private const string GenDelims = ":/?#[]@";

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    private static bool IsSubDelim(char c) => SubDelims.Contains(c, StringComparison.Ordinal);

    private static bool IsStatement(string s) =>
        s.All(c => IsUnreserved(c) || IsSubDelim(c) || GenDelims.Contains(c, StringComparison.Ordinal) || c == ' ');

    private static bool IsScheme(string s) =>
        s.Length > 0 && char.IsAsciiLetter(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');

    /// <summary>Checks that every char is allowed (by <paramref name="allowed"/>) or a valid %HH escape.</summary>
    private static bool AllEncoded(string s, Func<char, bool> allowed)
    {
        for (var k = 0; k < s.Length; k++)
        {
            var c = s[k];
            if (c == '%')
            {
                if (k + 2 >= s.Length || !char.IsAsciiHexDigit(s[k + 1]) || !char.IsAsciiHexDigit(s[k + 2]))
                {
                    return false;
                }

                k += 2;
            }
            else if (!allowed(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPchar(char c) => IsUnreserved(c) || IsSubDelim(c) || c is ':' or '@';

    private static bool IsPcharString(string s) => AllEncoded(s, IsPchar);

    // authority = [ userinfo "@" ] host [ ":" port ]
    private static bool IsAuthority(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }

        var at = s.LastIndexOf('@');
        if (at >= 0)
        {
            var userinfo = s[..at];
            if (!AllEncoded(userinfo, c => IsUnreserved(c) || IsSubDelim(c) || c == ':'))
            {
                return false;
            }

            s = s[(at + 1)..];
        }

        string host;
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = s[..(close + 1)];
            if (!host[1..^1].All(c => char.IsAsciiHexDigit(c) || c is ':' or '.') || host.Length < 4)
            {
                return false;
            }

            s = s[(close + 1)..];
            if (s.Length > 0 && (s[0] != ':' || !s[1..].All(IsDigit)))
            {
                return false;
            }

            return true;
        }

        var colon = s.LastIndexOf(':');
        host = colon >= 0 ? s[..colon] : s;
        if (colon >= 0 && !s[(colon + 1)..].All(IsDigit))
        {
            return false;
        }

        return host.Length > 0 && AllEncoded(host, c => IsUnreserved(c) || IsSubDelim(c));
    }

    // URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ]
    private static bool IsUri(string s)
    {
        var colon = s.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsScheme(s[..colon]))
        {
            return false;
        }

        var rest = s[(colon + 1)..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash >= 0 ? rest[(hash + 1)..] : null;
        if (hash >= 0)
        {
            rest = rest[..hash];
        }

        var q = rest.IndexOf('?', StringComparison.Ordinal);
        var query = q >= 0 ? rest[(q + 1)..] : null;
        if (q >= 0)
        {
            rest = rest[..q];
        }

        bool QueryChar(char c) => IsPchar(c) || c is '/' or '?';
        if ((fragment is not null && !AllEncoded(fragment, QueryChar)) || (query is not null && !AllEncoded(query, QueryChar)))
        {
            return false;
        }

        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var afterSlashes = rest[2..];
            var slash = afterSlashes.IndexOf('/', StringComparison.Ordinal);
            var authority = slash >= 0 ? afterSlashes[..slash] : afterSlashes;
            var path = slash >= 0 ? afterSlashes[slash..] : string.Empty;
            return (authority.Length == 0 || IsAuthority(authority)) && AllEncoded(path, c => IsPchar(c) || c == '/');
        }

        return AllEncoded(rest, c => IsPchar(c) || c == '/');
    }
}
