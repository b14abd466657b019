using System.Diagnostics;
using System.Text.Json;
using NeuroData.Infrastructure.Storage;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Web.Operations;

namespace NeuroData.Tests.Integration.Storage;

/// <summary>Our CIDs against Debian's <c>ipfs_cid</c> (an independent implementation of <c>ipfs add</c>'s defaults).</summary>
public sealed class IpfsCidOracleTests : IDisposable
{
    private const int Chunk = UnixFsBuilder.ChunkSize;
    private readonly TempFolder _folder = new();

    public static TheoryData<long> Sizes =>
    [
        0,
        1,
        Chunk - 1,
        Chunk,
        Chunk + 1,
        174L * Chunk, // the last file one level of links holds
        (174L * Chunk) + 1, // the first that needs a second level
        5_000_000,
        48_500_000, // multi-level, over 45.6 MB
    ];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Cid_EqualsIpfsCid(long size)
    {
        var file = WriteFile(size);

        await using var stream = File.OpenRead(file);
        var ours = await UnixFsBuilder.ComputeAsync(stream, TestContext.Current.CancellationToken);

        ours.Value.ShouldBe(await IpfsCidAsync(file));
    }

    [Fact]
    public async Task HelloWorld_EqualsIpfsCid()
    {
        var file = System.IO.Path.Combine(_folder.Path, "hello.txt");
        await File.WriteAllTextAsync(file, "hello world\n", TestContext.Current.CancellationToken);

        await using var stream = File.OpenRead(file);
        var ours = await UnixFsBuilder.ComputeAsync(stream, TestContext.Current.CancellationToken);

        ours.Value.ShouldBe("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
        ours.Value.ShouldBe(await IpfsCidAsync(file));
    }

    [Fact]
    public async Task CidVerb_AsARealProcess_PrintsTheCidOnOneLine_AndExitsZero()
    {
        var file = WriteFile((2 * Chunk) + 99);

        var (exit, stdout, stderr) = await RunWebAsync("cid", file);

        exit.ShouldBe(0, stderr);
        stdout.ShouldBe(await IpfsCidAsync(file) + "\n");
    }

    [Fact]
    public async Task CidVerb_AsARealProcess_MissingFile_OneLineOnStderr_ExitOne()
    {
        var missing = System.IO.Path.Combine(_folder.Path, "nope.csv");

        var (exit, stdout, stderr) = await RunWebAsync("cid", missing);

        exit.ShouldBe(Verbs.UsageError);
        stdout.ShouldBeEmpty();
        stderr.TrimEnd('\n').ShouldNotContain("\n");
        stderr.ShouldContain("nope.csv");
        stderr.ShouldContain("no such file");
    }

    [Fact]
    public async Task CidVerb_Directory_OrNoArgument_IsAUsageError()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        (await CidVerb.RunAsync([_folder.Path], output, error, TestContext.Current.CancellationToken)).ShouldBe(Verbs.UsageError);
        error.ToString().ShouldContain("is a directory");
        (await CidVerb.RunAsync([], output, error, TestContext.Current.CancellationToken)).ShouldBe(Verbs.UsageError);
        error.ToString().ShouldContain("Usage: cid <path>");
        output.ToString().ShouldBeEmpty();
    }

    public void Dispose() => _folder.Dispose();

    private string WriteFile(long size)
    {
        var path = System.IO.Path.Combine(_folder.Path, $"data-{size}.bin");
        using var file = File.Create(path);
        var random = new Random((int)(size % int.MaxValue));
        var buffer = new byte[1 << 20];
        for (long written = 0; written < size; written += buffer.Length)
        {
            var n = (int)Math.Min(buffer.Length, size - written);
            random.NextBytes(buffer.AsSpan(0, n));
            file.Write(buffer, 0, n);
        }

        return path;
    }

    /// <summary>The CIDv0 <c>ipfs_cid</c> prints; fails under CI=true and skips elsewhere when it is not installed.</summary>
    private static async Task<string> IpfsCidAsync(string file)
    {
        var (exit, stdout, stderr) = await RunAsync("ipfs_cid", [file], requireTool: true);
        exit.ShouldBe(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.GetProperty("CIDv0").GetString()!;
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunWebAsync(params string[] args) =>
        RunAsync("dotnet", [System.IO.Path.Combine(AppContext.BaseDirectory, "NeuroData.Web.dll"), .. args], requireTool: false);

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string program, string[] args, bool requireTool)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        // No database, chain or platform key configured: the verb must not need them (Production, no settings at all).
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";

        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception ex) when (requireTool)
        {
            const string Reason = "Debian's ipfs_cid is not installed (apt-get install ipfs-cid)";
            if (PostgresCluster.IsCi)
            {
                Assert.Fail($"{Reason} and CI=true: {ex.Message}");
            }

            Assert.Skip($"{Reason}; with CI=true this fails instead.");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
