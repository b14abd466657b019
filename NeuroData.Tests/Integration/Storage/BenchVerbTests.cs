using NeuroData.Web.Operations;
using NeuroData.Web.Operations.Bench;

namespace NeuroData.Tests.Integration.Storage;

public sealed class BenchVerbTests
{
    [Fact]
    public async Task BenchStorage_Small_PrintsAMarkdownTable_WhereOurCidEqualsIpfsCid()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await BenchVerb.RunAsync(["storage", "--size-mib", "2", "--ingest-mib", "1"], output, error, TestContext.Current.CancellationToken);

        exit.ShouldBe(Verbs.Success, error.ToString());
        var text = output.ToString();
        text.ShouldContain("| Measurement (2 MiB file) | Result | Throughput |");
        text.ShouldContain("| Full ingest (CID + SHA-256 + AES-GCM + blockstore) |");
        text.ShouldContain("| Peak memory above idle while ingesting 1 MiB |");
        if (File.Exists("/usr/bin/ipfs_cid"))
        {
            text.ShouldContain("| CID equals ipfs_cid | yes |");
        }
    }

    [Theory]
    [InlineData(new string[0], "Usage: bench storage")]
    [InlineData(new[] { "search" }, "Usage: bench storage")]
    [InlineData(new[] { "storage", "--size-mib" }, "unknown or incomplete option '--size-mib'")]
    [InlineData(new[] { "storage", "--size-mib", "0" }, "unknown or incomplete option '--size-mib'")]
    [InlineData(new[] { "storage", "--fast" }, "unknown or incomplete option '--fast'")]
    public async Task BenchStorage_BadArguments_AreAUsageError(string[] args, string message)
    {
        var error = new StringWriter();

        (await BenchVerb.RunAsync(args, new StringWriter(), error, TestContext.Current.CancellationToken)).ShouldBe(Verbs.UsageError);
        error.ToString().ShouldContain(message);
    }
}
