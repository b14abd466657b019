using System.Globalization;
using NeuroData.Domain.Datasets;

namespace NeuroData.Web.Components.Pages.Datasets.Page;

/// <summary>How the discovery pages write sizes, counts, formats and ratings.</summary>
public static class DisplayFormats
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB"];

    /// <summary>Bytes in binary units with one decimal above 1 KB ("1.5 MB").</summary>
    public static string Size(long? bytes)
    {
        if (bytes is not { } b)
        {
            return "—";
        }

        double value = b;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{b.ToString("N0", CultureInfo.InvariantCulture)} B" : $"{value.ToString("0.#", CultureInfo.InvariantCulture)} {Units[unit]}";
    }

    public static string Count(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "—";

    public static string Rating(double? average) => average is { } a ? a.ToString("0.0", CultureInfo.InvariantCulture) : "—";

    public static string Number(double value) =>
        Math.Abs(value) >= 1e6 || (Math.Abs(value) < 1e-3 && value != 0)
            ? value.ToString("0.###e0", CultureInfo.InvariantCulture)
            : value.ToString("#,0.###", CultureInfo.InvariantCulture);

    public static string Format(DatasetFormat? format) => format switch
    {
        DatasetFormat.Csv => "CSV",
        DatasetFormat.Tsv => "TSV",
        DatasetFormat.JsonLines => "JSON Lines",
        DatasetFormat.Parquet => "Parquet",
        DatasetFormat.Zip => "ZIP",
        _ => "—",
    };

    public static string Type(ColumnType type) => type switch
    {
        ColumnType.WholeNumber => "whole number",
        ColumnType.Number => "number",
        ColumnType.Boolean => "boolean",
        ColumnType.DateTime => "date/time",
        _ => "text",
    };

    public static string Status(DatasetStatus status) => status switch
    {
        DatasetStatus.PendingReview => "Pending review",
        _ => status.ToString(),
    };

    public static string Date(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";
}
