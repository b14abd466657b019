using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using NeuroData.Infrastructure.Storage;

namespace NeuroData.Web.Operations.Bench;

/// <summary>
/// <c>bench storage [--size-mib N] [--ingest-mib M]</c>: on one random file of N MiB (default 1024) measures our CID
/// throughput, Debian's <c>ipfs_cid</c>, <c>sha256sum</c>, full ingest (CID + SHA-256 + encryption + blockstore writes)
/// into a temp blockstore, and the peak memory above idle while ingesting M MiB (default 2048); prints a Markdown table.
/// Needs neither the database nor the chain. Numbers, not assertions.
/// </summary>
public sealed class BenchVerb : ICommandLineVerb
{
    public string Name => "bench";

    public Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        RunAsync(args, Console.Out, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count == 0 || !string.Equals(args[0], "storage", StringComparison.OrdinalIgnoreCase))
        {
            await error.WriteLineAsync("Usage: bench storage [--size-mib 1024] [--ingest-mib 2048]");
            return Verbs.UsageError;
        }

        int sizeMib = 1024, ingestMib = 2048;
        for (var i = 1; i < args.Count; i++)
        {
            var ok = i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0;
            switch (args[i])
            {
                case "--size-mib" when ok:
                    sizeMib = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--ingest-mib" when ok:
                    ingestMib = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    await error.WriteLineAsync($"bench storage: unknown or incomplete option '{args[i]}' (expected --size-mib N, --ingest-mib N with N > 0).");
                    return Verbs.UsageError;
            }
        }

        var folder = Directory.CreateTempSubdirectory("nd-bench-").FullName;
        try
        {
            await new StorageBench(folder, sizeMib, ingestMib, output).RunAsync(cancellationToken);
            return Verbs.Success;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>The measurements of <c>bench storage</c>.</summary>
internal sealed class StorageBench(string folder, int sizeMib, int ingestMib, TextWriter output)
{
    private const double Mb = 1_000_000d;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var file = Path.Combine(folder, "random.bin");
        var bytes = (long)sizeMib * 1024 * 1024;
        await output.WriteLineAsync($"Writing {sizeMib} MiB of random data to {file} ...");
        await WriteRandomFileAsync(file, bytes, cancellationToken);

        var rows = new List<(string What, string Result, string Throughput)>();

        // Warm the page cache so every reader starts equal.
        await using (var warm = File.OpenRead(file))
        {
            await warm.CopyToAsync(Stream.Null, cancellationToken);
        }

        var sw = Stopwatch.StartNew();
        NeuroData.Domain.Common.Cid ours;
        await using (var stream = OpenSequential(file))
        {
            ours = await UnixFsBuilder.ComputeAsync(stream, cancellationToken);
        }

        var oursSeconds = sw.Elapsed.TotalSeconds;
        rows.Add(("CID (NeuroData, UnixFsBuilder)", ours.Value, Rate(bytes, oursSeconds)));

        var (ipfsText, ipfsSeconds) = await TimeProcessAsync("ipfs_cid", file, cancellationToken);
        var ipfsCid = ipfsText is null ? "ipfs_cid not installed" : ExtractCidV0(ipfsText);
        rows.Add(("CID (Debian ipfs_cid)", ipfsCid, ipfsText is null ? "n/a" : Rate(bytes, ipfsSeconds)));

        var (shaText, shaSeconds) = await TimeProcessAsync("sha256sum", file, cancellationToken);
        rows.Add(("SHA-256 (sha256sum)", shaText is null ? "not installed" : shaText.Split(' ')[0][..16] + "…", shaText is null ? "n/a" : Rate(bytes, shaSeconds)));

        StoredContent1 ingest;
        await using (var stream = OpenSequential(file))
        {
            ingest = await IngestAsync(stream, Path.Combine(folder, "blocks-1"), sampleMemory: false, cancellationToken);
        }

        rows.Add(("Full ingest (CID + SHA-256 + AES-GCM + blockstore)", ingest.Cid, Rate(bytes, ingest.Seconds)));

        StoredContent1 cpuOnly;
        await using (var stream = OpenSequential(file))
        {
            cpuOnly = await IngestAsync(stream, blocks: null, sampleMemory: false, cancellationToken);
        }

        rows.Add(("Same ingest, ciphertext blocks hashed but not written (CPU part)", cpuOnly.Cid, Rate(bytes, cpuOnly.Seconds)));

        var ingestBytes = (long)ingestMib * 1024 * 1024;
        StoredContent1 big;
        await using (var generated = new PseudoRandomStream(ingestBytes))
        {
            big = await IngestAsync(generated, Path.Combine(folder, "blocks-2"), sampleMemory: true, cancellationToken);
        }

        rows.Add(($"Full ingest of {ingestMib} MiB (generated stream)", big.Cid, Rate(ingestBytes, big.Seconds)));

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Machine: {Environment.ProcessorCount} logical CPUs, {CpuModel()}, .NET {Environment.Version}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"| Measurement ({sizeMib} MiB file) | Result | Throughput |");
        await output.WriteLineAsync("|---|---|---|");
        foreach (var (what, result, throughput) in rows)
        {
            await output.WriteLineAsync($"| {what} | `{result}` | {throughput} |");
        }

        var match = ipfsText is null ? "not compared" : string.Equals(ipfsCid, ours.Value, StringComparison.Ordinal) ? "yes" : "NO";
        await output.WriteLineAsync($"| CID equals ipfs_cid | {match} | {(ipfsText is null ? "n/a" : (ipfsSeconds / oursSeconds).ToString("0.0", CultureInfo.InvariantCulture) + "x ipfs_cid")} |");
        await output.WriteLineAsync($"| Peak memory above idle while ingesting {ingestMib} MiB | working set +{big.PeakWorkingSetAboveIdle / Mb:0.0} MB, managed heap peak +{big.PeakManagedAboveIdle / Mb:0.0} MB | |");
    }

    private static string Rate(long bytes, double seconds) =>
        $"{bytes / Mb / seconds:0} MB/s ({seconds:0.00} s)".ToString(CultureInfo.InvariantCulture);

    private static FileStream OpenSequential(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        BufferSize = 0,
        Options = FileOptions.SequentialScan,
    });

    private static async Task WriteRandomFileAsync(string path, long bytes, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
        var buffer = new byte[1024 * 1024];
        for (long written = 0; written < bytes; written += buffer.Length)
        {
            var n = (int)Math.Min(buffer.Length, bytes - written);
            Random.Shared.NextBytes(buffer.AsSpan(0, n));
            await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
        }
    }

    private static async Task<StoredContent1> IngestAsync(Stream source, string? blocks, bool sampleMemory, CancellationToken cancellationToken)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var idleWorkingSet = process.WorkingSet64;
        var idleManaged = GC.GetTotalMemory(forceFullCollection: false);
        long peakWorkingSet = idleWorkingSet, peakManaged = idleManaged;
        using var stop = new CancellationTokenSource();
        var sampler = sampleMemory
            ? Task.Run(
                async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        process.Refresh();
                        peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                        peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(forceFullCollection: false));
                        try
                        {
                            await Task.Delay(25, stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                    }
                },
                CancellationToken.None)
            : Task.CompletedTask;

        IPinningContentStore store = blocks is null ? new HashOnlyStore() : new LocalBlockstore(blocks);
        var storage = new DatasetStorage(store, new PlatformKeyRing(RandomNumberGenerator.GetBytes(32)));
        var sw = Stopwatch.StartNew();
        var stored = await storage.StoreAsync(source, cancellationToken);
        var seconds = sw.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await sampler;
        if (blocks is not null)
        {
            Directory.Delete(blocks, recursive: true);
        }

        return new StoredContent1(stored.Cid.Value, seconds, peakWorkingSet - idleWorkingSet, peakManaged - idleManaged);
    }

    private static async Task<(string? Output, double Seconds)> TimeProcessAsync(string program, string file, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(file);
        var sw = Stopwatch.StartNew();
        Process? process;
        try
        {
            process = Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, 0);
        }

        if (process is null)
        {
            return (null, 0);
        }

        using (process)
        {
            var text = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (text.Trim(), sw.Elapsed.TotalSeconds);
        }
    }

    internal static string ExtractCidV0(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("CIDv0").GetString() ?? string.Empty;
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    private sealed record StoredContent1(string Cid, double Seconds, long PeakWorkingSetAboveIdle, long PeakManagedAboveIdle);
}

/// <summary>A content store that only computes the CID of what is added (to time the ingest without disk writes).</summary>
internal sealed class HashOnlyStore : IPinningContentStore
{
    public Task<NeuroData.Domain.Common.Cid> AddAsync(Stream content, CancellationToken cancellationToken = default) =>
        UnixFsBuilder.ComputeAsync(content, cancellationToken);

    public Task<NeuroData.Domain.Common.Cid> AddAsync(Stream content, bool pin, CancellationToken cancellationToken = default) =>
        UnixFsBuilder.ComputeAsync(content, cancellationToken);

    public Task<Stream> OpenReadAsync(NeuroData.Domain.Common.Cid cid, CancellationToken cancellationToken = default) =>
        throw new FileNotFoundException("The hash-only store keeps nothing.");

    public Task<Stream> OpenReadAsync(NeuroData.Domain.Common.Cid cid, long offset, CancellationToken cancellationToken = default) =>
        throw new FileNotFoundException("The hash-only store keeps nothing.");

    public Task<bool> ContainsAsync(NeuroData.Domain.Common.Cid cid, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task PinAsync(NeuroData.Domain.Common.Cid cid, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task UnpinAsync(NeuroData.Domain.Common.Cid cid, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>A fixed length of fast pseudo-random bytes (xorshift), so a multi-GiB ingest needs no input file.</summary>
internal sealed class PseudoRandomStream(long length) : Stream
{
    private ulong _state = 0x9E3779B97F4A7C15UL;
    private readonly long _length = length;
    private long _remaining = length;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position { get => _length - _remaining; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length & ~7, _remaining);
        if (n == 0 && _remaining > 0)
        {
            n = (int)Math.Min(buffer.Length, _remaining);
        }

        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(buffer[..(n & ~7)]);
        for (var i = 0; i < words.Length; i++)
        {
            _state ^= _state << 13;
            _state ^= _state >> 7;
            _state ^= _state << 17;
            words[i] = _state;
        }

        for (var i = n & ~7; i < n; i++)
        {
            buffer[i] = (byte)i;
        }

        _remaining -= n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
