using System.Security.Cryptography;
using System.Text;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Storage;

namespace NeuroData.Tests.Unit.Storage;

public sealed class UnixFsBuilderTests
{
    [Fact]
    public async Task EmptyFile_HasTheIpfsAddCid()
    {
        var cid = await UnixFsBuilder.ComputeAsync(new MemoryStream(), TestContext.Current.CancellationToken);

        cid.Value.ShouldBe("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
    }

    [Fact]
    public async Task HelloWorld_HasTheIpfsAddCid()
    {
        var cid = await UnixFsBuilder.ComputeAsync(new MemoryStream("hello world\n"u8.ToArray()), TestContext.Current.CancellationToken);

        cid.Value.ShouldBe("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
    }

    [Fact]
    public void Append_InAnyPieces_GivesTheSameCidAsOneStream()
    {
        var data = RandomNumberGenerator.GetBytes((3 * UnixFsBuilder.ChunkSize) + 12345);
        using var whole = new UnixFsBuilder();
        whole.Append(data);
        var expected = whole.Complete();

        using var pieces = new UnixFsBuilder();
        var random = new Random(7);
        for (var offset = 0; offset < data.Length;)
        {
            var n = Math.Min(random.Next(1, 100_000), data.Length - offset);
            pieces.Append(data.AsSpan(offset, n));
            offset += n;
        }

        pieces.Complete().ShouldBe(expected);
        pieces.Length.ShouldBe(data.Length);
    }

    [Fact]
    public void Sink_ReceivesEveryBlock_HashedToItsDigest_RootLast()
    {
        var sink = new RecordingSink();
        using var builder = new UnixFsBuilder(sink);
        builder.Append(new byte[(2 * UnixFsBuilder.ChunkSize) + 1]);
        var root = builder.Complete();

        sink.Blocks.Count.ShouldBe(4); // 3 leaves (two identical all-zero chunks are still emitted twice) + 1 root
        foreach (var (digest, block) in sink.Blocks)
        {
            SHA256.HashData(block).ShouldBe(digest);
        }

        Cid.FromSha256Digest(sink.Blocks[^1].Digest).ShouldBe(root);
    }

    [Fact]
    public void Complete_Twice_IsRejected()
    {
        using var builder = new UnixFsBuilder();
        builder.Complete();

        Should.Throw<InvalidOperationException>(() => builder.Complete());
    }

    [Fact]
    public void DifferentContent_GivesDifferentCids()
    {
        using var a = new UnixFsBuilder();
        a.Append(Encoding.ASCII.GetBytes("abc"));
        using var b = new UnixFsBuilder();
        b.Append(Encoding.ASCII.GetBytes("abd"));

        a.Complete().Value.ShouldBe("QmQpeUrxtQE5N2SVog1ZCxd7c7RN4fBNQu5aLwkk5RY9ER");
        b.Complete().Value.ShouldNotBe("QmQpeUrxtQE5N2SVog1ZCxd7c7RN4fBNQu5aLwkk5RY9ER");
    }

    [Fact]
    public void Base58_RoundTripsThroughCid()
    {
        var digest = RandomNumberGenerator.GetBytes(32);

        var cid = Cid.FromSha256Digest(digest);

        cid.Value.Length.ShouldBe(46);
        Cid.Parse(cid.Value).GetSha256Digest().ShouldBe(digest);
        Cid.EncodeBase58([0, 0, 1]).ShouldBe("112");
        Cid.EncodeBase58([]).ShouldBe(string.Empty);
    }

    private sealed class RecordingSink : IBlockSink
    {
        public List<(byte[] Digest, byte[] Block)> Blocks { get; } = [];

        public void Put(ReadOnlySpan<byte> sha256Digest, ReadOnlySpan<byte> block) => Blocks.Add((sha256Digest.ToArray(), block.ToArray()));
    }
}
