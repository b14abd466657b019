namespace NeuroData.Domain.Datasets;

/// <summary>
/// CSV formula injection (SECURITY.md, Uploads): values are stored raw and neutralised when shown or exported, so a
/// spreadsheet never evaluates a cell that starts with = + - @ tab, carriage return or NUL.
/// </summary>
public static class SpreadsheetSafety
{
    /// <summary>Prefixes a single quote when the value starts (after leading spaces) with a formula trigger.</summary>
    public static string? Neutralise(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }

        var first = value.TrimStart(' ');
        if (first.Length > 0 && first[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\0')
        {
            return "'" + value;
        }

        return value;
    }
}
