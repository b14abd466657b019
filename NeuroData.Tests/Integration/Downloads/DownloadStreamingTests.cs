using System.Security.Cryptography;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Storage;
using NeuroData.Web.Downloads;

namespace NeuroData.Tests.Integration.Downloads;

/// <summary>The endpoint's range parsing and verified copy, on their own (the HTTP behaviour is in <see cref="DownloadEndpointTests"/>).</summary>
public sealed class DownloadStreamingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("bytes=0-9", 100, 0, 9, true)]
    [InlineData("bytes=90-", 100, 90, 99, true)]
    [InlineData("bytes=-10", 100, 90, 99, true)]
    [InlineData("bytes=-500", 100, 0, 99, true)]
    [InlineData("bytes=50-5000", 100, 50, 99, true)]
    [InlineData("bytes=100-", 100, 100, 99, false)]
    [InlineData("bytes=-0", 100, 0, 0, false)]
    public void ParseRange_ReadsOneRange(string header, long size, long start, long end, bool satisfiable)
    {
        var range = DownloadEndpoints.ParseRange(header, size);

        range.ShouldNotBeNull();
        range.Value.Satisfiable.ShouldBe(satisfiable);
        if (satisfiable)
        {
            range.Value.Start.ShouldBe(start);
            range.Value.End.ShouldBe(end);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("items=0-9")]
    [InlineData("bytes=0-9,20-29")]
    [InlineData("bytes=9-3")]
    [InlineData("bytes=abc-")]
    [InlineData("bytes=+1-5")]
    public void ParseRange_IgnoresWhatIsNotOneValidRange(string header)
    {
        DownloadEndpoints.ParseRange(header, 100).ShouldBeNull();
    }

    [Fact]
    public async Task Copy_WithTheRightHash_WritesEverything_AcrossBuffers()
    {
        var content = RandomNumberGenerator.GetBytes(300_000);
        using var target = new MemoryStream();

        var ok = await DownloadEndpoints.CopyAsync(new MemoryStream(content), target, content.Length, await UnixFsBuilder.ComputeAsync(new MemoryStream(content), Ct), Ct);

        ok.ShouldBeTrue();
        target.ToArray().ShouldBe(content);
    }

    [Fact]
    public async Task Copy_WithAWrongHash_HoldsBackTheLastBuffer()
    {
        var content = RandomNumberGenerator.GetBytes(300_000);
        using var target = new MemoryStream();

        var ok = await DownloadEndpoints.CopyAsync(new MemoryStream(content), target, content.Length, Cid.Parse("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"), Ct); // the empty file's CID

        ok.ShouldBeFalse();
        target.Length.ShouldBeLessThan(content.Length, "the client never receives the complete body of content that fails verification");
    }

    [Fact]
    public async Task Copy_OfContentLongerThanRecorded_FailsVerification()
    {
        var content = RandomNumberGenerator.GetBytes(1000);
        using var target = new MemoryStream();

        var ok = await DownloadEndpoints.CopyAsync(new MemoryStream([.. content, 1]), target, content.Length, await UnixFsBuilder.ComputeAsync(new MemoryStream(content), Ct), Ct);

        ok.ShouldBeFalse();
    }

    [Fact]
    public async Task Copy_OfTruncatedContent_Throws()
    {
        using var target = new MemoryStream();

        await Should.ThrowAsync<EndOfStreamException>(() => DownloadEndpoints.CopyAsync(new MemoryStream(new byte[10]), target, 20, null, Ct));
    }
}
