using System.Globalization;
using System.Text;

namespace NeuroData.Tests.Unit.Training;

/// <summary>Small generated CSV files with known structure, in a temp folder deleted on dispose.</summary>
public sealed class TrainingFiles : IDisposable
{
    public TrainingFiles() => Folder = Directory.CreateTempSubdirectory("nd-training-test-").FullName;

    public string Folder { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    public string Write(string name, IEnumerable<string> header, IEnumerable<IEnumerable<object?>> rows)
    {
        var sb = new StringBuilder().AppendJoin(',', header).Append('\n');
        foreach (var row in rows)
        {
            sb.AppendJoin(',', row.Select(v => v switch
            {
                null => string.Empty,
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                _ => Convert.ToString(v, CultureInfo.InvariantCulture),
            })).Append('\n');
        }

        var path = PathOf(name);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>Binary label = x1 + x2 &gt; 0 (separable), plus a noise column and a category that does not matter.</summary>
    public string Separable(int rows = 300, int seed = 7)
    {
        var r = new Random(seed);
        return Write("separable.csv", ["x1", "x2", "noise", "colour", "label"], Enumerable.Range(0, rows).Select(_ =>
        {
            double x1 = Gauss(r), x2 = Gauss(r);
            return new object?[] { Math.Round(x1, 4), Math.Round(x2, 4), Math.Round(Gauss(r), 4), r.Next(3) switch { 0 => "red", 1 => "green", _ => "blue" }, x1 + x2 > 0 ? "yes" : "no" };
        }));
    }

    /// <summary>Three well-separated blobs in 2-D; class = blob name (for multiclass) and blob index (for clustering checks).</summary>
    public string Blobs(int perBlob = 100, int seed = 3)
    {
        var r = new Random(seed);
        (string Name, double X, double Y)[] centres = [("north", 0, 10), ("south", 0, -10), ("east", 10, 0)];
        return Write("blobs.csv", ["a", "b", "kind"], Enumerable.Range(0, perBlob * 3).Select(i =>
        {
            var c = centres[i % 3];
            return new object?[] { Math.Round(c.X + Gauss(r), 4), Math.Round(c.Y + Gauss(r), 4), c.Name };
        }));
    }

    /// <summary>y = 3·x1 − 2·x2 + 5 + small noise.</summary>
    public string Linear(int rows = 300, int seed = 5)
    {
        var r = new Random(seed);
        return Write("linear.csv", ["x1", "x2", "y"], Enumerable.Range(0, rows).Select(_ =>
        {
            double x1 = (r.NextDouble() * 10) - 5, x2 = (r.NextDouble() * 10) - 5;
            return new object?[] { Math.Round(x1, 4), Math.Round(x2, 4), Math.Round((3 * x1) - (2 * x2) + 5 + (0.1 * Gauss(r)), 4) };
        }));
    }

    /// <summary>Normal rows lie near a 2-D plane in 5-D; every 25th row is an outlier far off the plane (outlier = true).</summary>
    public string Outliers(int rows = 500, int seed = 11)
    {
        var r = new Random(seed);
        return Write("outliers.csv", ["f1", "f2", "f3", "f4", "f5", "outlier"], Enumerable.Range(0, rows).Select(i =>
        {
            var outlier = i % 25 == 0;
            double a = Gauss(r) * 3, b = Gauss(r) * 3;
            double[] f = outlier
                ? [.. Enumerable.Range(0, 5).Select(_ => Gauss(r) * 6)]
                : [a, b, a + b, a - b, (2 * a) + (0.05 * Gauss(r))];
            return f.Select(v => (object?)Math.Round(v, 4)).Append(outlier).ToArray();
        }));
    }

    public static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a failed test; the temp folder is cleaned by the system.
        }
    }
}
