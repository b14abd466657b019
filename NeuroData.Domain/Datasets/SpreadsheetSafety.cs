namespace NeuroData.Domain.Datasets;

/// <summary>
/// CSV formula injection: a cell that starts with = + - @ tab, carriage return or NUL (also after leading spaces) is
/// run as a formula by spreadsheet programs. Files are stored raw; previews and exports show cells through
/// <see cref="Neutralise"/>, which prefixes such a cell with an apostrophe (the spreadsheet convention for "text").
/// </summary>
public static class SpreadsheetSafety
{
    /// <summary>The cell, prefixed with <c>'</c> when it could start a formula; null stays null.</summary>
    public static string? Neutralise(string? cell)
    {
        if (string.IsNullOrEmpty(cell))
        {
            return cell;
        }

        var first = cell.AsSpan().TrimStart(' ');
        return !first.IsEmpty && first[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\0' ? "'" + cell : cell;
    }
}
