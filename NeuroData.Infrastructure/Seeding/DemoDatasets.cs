using System.Globalization;
using System.Text;

namespace NeuroData.Infrastructure.Seeding;

/// <summary>A demo dataset: listing details and a deterministic generator of its CSV file.</summary>
public sealed record DemoDataset(
    string Title,
    string CategorySlug,
    string[] Tags,
    string Description,
    string License,
    decimal PriceNcr,
    int ReviewDays,
    bool Download,
    bool TrainingOnly,
    int PreviewRows,
    Action<TextWriter> WriteCsv);

/// <summary>
/// The datasets the Development seed publishes through the real pipeline (inspection, CID, encryption, blockstore,
/// on-chain listing, approval), so a newcomer finds a marketplace with something in it. Every file is generated from a
/// fixed seed: the same bytes (and CIDs) on every machine.
/// </summary>
public static class DemoDatasets
{
    public static readonly IReadOnlyList<DemoDataset> All =
    [
        new(
            "Telecom customer churn (synthetic)",
            "retail",
            ["tabular", "classification", "synthetic"],
            """
            Five thousand synthetic subscribers of a mobile operator with their contract, tenure, monthly charges,
            support calls and whether they left within the next quarter.

            * **Task:** binary classification on `churned`.
            * Generated from a fixed seed; no real person is in it.
            """,
            "CC-BY-4.0",
            25m,
            3,
            Download: true,
            TrainingOnly: true,
            PreviewRows: 20,
            WriteChurn),
        new(
            "Apartment prices by district (synthetic)",
            "finance",
            ["tabular", "regression", "synthetic"],
            """
            Three thousand apartment sales: floor area, rooms, floor, year built, district and price in euros.

            * **Task:** regression on `price_eur`.
            * Prices follow a simple, known model with noise, so trained models can be checked.
            """,
            "CC0-1.0",
            40m,
            7,
            Download: true,
            TrainingOnly: false,
            PreviewRows: 15,
            WriteApartments),
        new(
            "Factory sensor readings with anomalies (synthetic)",
            "iot-sensors",
            ["time-series", "labelled", "synthetic"],
            """
            Ten thousand readings of temperature, vibration and pressure from a production line, one per minute,
            with about 2 % labelled anomalies.

            * **Tasks:** anomaly detection, binary classification on `anomaly`.
            """,
            "CC-BY-SA-4.0",
            15m,
            2,
            Download: false,
            TrainingOnly: true,
            PreviewRows: 10,
            WriteSensors),
    ];

    private static string N(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    private static void WriteChurn(TextWriter writer)
    {
        var random = new Random(5001);
        string[] contracts = ["Month-to-month", "One year", "Two year"];
        writer.Write("customer_id,tenure_months,contract,monthly_charges,support_calls,has_fiber,churned\n");
        for (var i = 1; i <= 5000; i++)
        {
            var contract = contracts[random.Next(100) switch { < 55 => 0, < 80 => 1, _ => 2 }];
            var tenure = random.Next(1, 73);
            var fiber = random.NextDouble() < 0.45;
            var charges = 20 + (fiber ? 45 : 10) + (random.NextDouble() * 30);
            var calls = (int)Math.Floor(-Math.Log(1 - random.NextDouble()) * 1.5);
            var score = (contract == contracts[0] ? 1.4 : contract == contracts[1] ? -0.3 : -1.5)
                        - (tenure / 24.0) + (calls * 0.45) + (fiber ? 0.4 : 0) + ((charges - 60) / 40);
            var churned = random.NextDouble() < 1 / (1 + Math.Exp(-score));
            writer.Write($"C{i:00000},{tenure},{contract},{N(charges, "0.00")},{calls},{(fiber ? "true" : "false")},{(churned ? "true" : "false")}\n");
        }
    }

    private static void WriteApartments(TextWriter writer)
    {
        var random = new Random(3001);
        (string Name, double PerSquareMetre)[] districts =
        [
            ("Alfama", 5200), ("Baixa", 6100), ("Belem", 4800), ("Campo de Ourique", 5600), ("Olivais", 3300), ("Lumiar", 3900),
        ];
        writer.Write("listing_id,area_m2,rooms,floor,year_built,district,has_elevator,price_eur\n");
        for (var i = 1; i <= 3000; i++)
        {
            var district = districts[random.Next(districts.Length)];
            var rooms = random.Next(0, 5);
            var area = 28 + (rooms * 22) + (random.NextDouble() * 25);
            var floor = random.Next(0, 9);
            var year = random.Next(1890, 2024);
            var elevator = year > 1960 ? random.NextDouble() < 0.85 : random.NextDouble() < 0.3;
            var price = area * district.PerSquareMetre * (1 + (floor * 0.015) + (elevator ? 0.06 : 0) + ((year - 1960) * 0.002))
                        * (0.9 + (random.NextDouble() * 0.2));
            writer.Write($"A{i:00000},{N(area, "0.0")},{rooms},{floor},{year},{district.Name},{(elevator ? "true" : "false")},{N(Math.Round(price / 100) * 100, "0")}\n");
        }
    }

    private static void WriteSensors(TextWriter writer)
    {
        var random = new Random(10001);
        var start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        writer.Write("timestamp,line,temperature_c,vibration_mm_s,pressure_bar,anomaly\n");
        for (var i = 0; i < 10_000; i++)
        {
            var at = start.AddMinutes(i);
            var line = i % 3 == 0 ? "L1" : i % 3 == 1 ? "L2" : "L3";
            var anomaly = random.NextDouble() < 0.02;
            var daily = Math.Sin(2 * Math.PI * at.TimeOfDay.TotalMinutes / 1440);
            var temperature = 61 + (3 * daily) + Gaussian(random) + (anomaly ? 9 + (4 * random.NextDouble()) : 0);
            var vibration = 2.2 + (0.3 * Gaussian(random)) + (anomaly ? 3 * random.NextDouble() : 0);
            var pressure = 4.1 + (0.08 * Gaussian(random)) - (anomaly ? 0.6 * random.NextDouble() : 0);
            writer.Write($"{at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)},{line},{N(temperature, "0.00")},{N(vibration, "0.000")},{N(pressure, "0.000")},{(anomaly ? "true" : "false")}\n");
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Writes the dataset's CSV (UTF-8, no BOM, LF line ends) to a file.</summary>
    public static void WriteFile(DemoDataset dataset, string path)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
        dataset.WriteCsv(writer);
    }
}
