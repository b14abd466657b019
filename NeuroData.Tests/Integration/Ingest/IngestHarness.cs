using System.Text;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Ingest;
using Parquet;
using Parquet.Schema;

namespace NeuroData.Tests.Integration.Ingest;

/// <summary>Runs the real inspector on files written to a private temp folder; its temp folder must end up empty.</summary>
public sealed class IngestHarness : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "nd-ingest-test-" + Guid.NewGuid().ToString("N"));

    public IngestHarness()
    {
        Directory.CreateDirectory(root);
        Options = new IngestOptions { TempPath = WorkFolder };
    }

    public IngestOptions Options { get; }

    public string WorkFolder => Path.Combine(root, "work");

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public async Task<(DatasetProfile Profile, byte[] TrainingForm)> InspectAsync(byte[] content, int previewRows = 5)
    {
        var path = Path.Combine(root, Guid.NewGuid().ToString("N") + ".upload");
        await File.WriteAllBytesAsync(path, content, TestContext.Current.CancellationToken);
        using var output = new MemoryStream();
        var profile = await new DatasetInspector(Options).InspectAsync(path, "data.csv", output, previewRows, TestContext.Current.CancellationToken);
        AssertNoTempFiles();
        return (profile, output.ToArray());
    }

    public Task<(DatasetProfile Profile, byte[] TrainingForm)> InspectAsync(string content, int previewRows = 5) => InspectAsync(Utf8(content), previewRows);

    /// <summary>The rejection message; also checks that nothing was written and no temp file is left.</summary>
    public async Task<string> RejectAsync(byte[] content)
    {
        var path = Path.Combine(root, Guid.NewGuid().ToString("N") + ".upload");
        await File.WriteAllBytesAsync(path, content, TestContext.Current.CancellationToken);
        using var output = new MemoryStream();
        var ex = await Should.ThrowAsync<InvalidDatasetException>(
            () => new DatasetInspector(Options).InspectAsync(path, "evil.csv", output, 5, TestContext.Current.CancellationToken));
        output.Length.ShouldBe(0, "a rejected upload writes no training form");
        AssertNoTempFiles();
        char.IsUpper(ex.Message[0]).ShouldBeTrue($"messages start with a capital: {ex.Message}");
        return ex.Message;
    }

    public Task<string> RejectAsync(string content) => RejectAsync(Utf8(content));

    public void AssertNoTempFiles()
    {
        if (Directory.Exists(WorkFolder))
        {
            Directory.GetFileSystemEntries(WorkFolder).ShouldBeEmpty("the inspector leaves no temp file behind");
        }
    }

    /// <summary>The training form's columns: field, CLR type and values (null = missing).</summary>
    public static async Task<List<(DataField Field, object?[] Values)>> ReadTrainingFormAsync(byte[] parquet)
    {
        using var stream = new MemoryStream(parquet);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: TestContext.Current.CancellationToken);
        var fields = reader.Schema.GetDataFields();
        var result = fields.Select(f => (f, new List<object?>())).ToList();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            for (var c = 0; c < fields.Length; c++)
            {
                var f = fields[c];
                object?[] values;
                if (f.ClrType == typeof(long))
                {
                    var a = new long?[n];
                    await group.ReadAsync(f, a.AsMemory(), null, TestContext.Current.CancellationToken);
                    values = [.. a.Select(v => (object?)v)];
                }
                else if (f.ClrType == typeof(double))
                {
                    var a = new double?[n];
                    await group.ReadAsync(f, a.AsMemory(), null, TestContext.Current.CancellationToken);
                    values = [.. a.Select(v => (object?)v)];
                }
                else if (f.ClrType == typeof(bool))
                {
                    var a = new bool?[n];
                    await group.ReadAsync(f, a.AsMemory(), null, TestContext.Current.CancellationToken);
                    values = [.. a.Select(v => (object?)v)];
                }
                else if (f.ClrType == typeof(DateTime))
                {
                    var a = new DateTime?[n];
                    await group.ReadAsync(f, a.AsMemory(), null, TestContext.Current.CancellationToken);
                    values = [.. a.Select(v => (object?)v)];
                }
                else
                {
                    var a = new string?[n];
                    await group.ReadAsync(f, a.AsMemory(), null, TestContext.Current.CancellationToken);
                    values = [.. a];
                }

                result[c].Item2.AddRange(values);
            }
        }

        return [.. result.Select(r => (r.f, r.Item2.ToArray()))];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
