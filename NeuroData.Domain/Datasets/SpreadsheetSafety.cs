namespace NeuroData.Domain.Datasets;

/// <summary>
/// Guards against spreadsheet formula injection (CSV injection) where cells are shown or exported: a cell that a
/// spreadsheet would read as a formula gets a leading apostrophe. Stored data stays raw; this is applied on output.
/// </summary>
public static class SpreadsheetSafety
{
    /// <summary>Prefixes <c>'</c> when the cell starts, possibly after spaces, with = + - @ tab, carriage return or NUL.
    /// Null stays null; every other value is returned unchanged.</summary>
    public static string? Neutralise(string? cell)
    {
        if (string.IsNullOrEmpty(cell))
        {
            return cell;
        }

        var i = 0;
        while (i < cell.Length && cell[i] == ' ')
        {
            i++;
        }

        return i < cell.Length && cell[i] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\0' ? "'" + cell : cell;
    }
}
