using System.Security.Cryptography;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Storage;

namespace NeuroData.Tests.Integration.Storage;

public sealed class LocalBlockstoreTests : IDisposable
{
    private const int Chunk = UnixFsBuilder.ChunkSize;
    private readonly TempFolder _folder = new();
    private readonly LocalBlockstore _store;

    public LocalBlockstoreTests() => _store = new LocalBlockstore(_folder.Path);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Add_ReturnsTheIpfsCid_AndWritesOneFilePerBlock_NoTempFiles()
    {
        var data = RandomNumberGenerator.GetBytes((3 * Chunk) + 10);

        var cid = await _store.AddAsync(new MemoryStream(data), Ct);

        cid.ShouldBe(await UnixFsBuilder.ComputeAsync(new MemoryStream(data), Ct));
        var files = _folder.Files();
        files.Count.ShouldBe(5); // 4 leaves + root
        files.ShouldAllBe(f => !Path.GetFileName(f).StartsWith('.'));
        files.ShouldContain(Path.Combine(cid.Value[^3..^1], cid.Value));
        (await _store.ContainsAsync(cid, Ct)).ShouldBeTrue();
        _store.IsPinned(cid).ShouldBeFalse();
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData((long)Chunk - 1)]
    [InlineData((long)Chunk)]
    [InlineData((5L * Chunk) + 77)]
    [InlineData(6L * Chunk)]
    public async Task OpenRead_AtAnOffset_WalksTheDag(long offset)
    {
        var data = RandomNumberGenerator.GetBytes((6 * Chunk) + 123);
        var cid = await _store.AddAsync(new MemoryStream(data), Ct);

        await using var stream = await _store.OpenReadAsync(cid, offset, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, 100_000, Ct);

        stream.Length.ShouldBe(data.Length);
        copy.ToArray().ShouldBe(data[(int)offset..]);
    }

    [Fact]
    public async Task OpenRead_MultiLevelDag_RoundTrips()
    {
        // 175 chunks: a root over two level-1 nodes (174 leaves + 1 leaf).
        var data = new byte[(174 * Chunk) + 5];
        new Random(3).NextBytes(data);
        var cid = await _store.AddAsync(new MemoryStream(data), Ct);

        await using (var stream = await _store.OpenReadAsync(cid, Ct))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            copy.ToArray().AsSpan().SequenceEqual(data).ShouldBeTrue();
        }

        await using var tail = await _store.OpenReadAsync(cid, (174L * Chunk) + 1, Ct);
        var rest = new byte[10];
        (await tail.ReadAtLeastAsync(rest, 10, throwOnEndOfStream: false, Ct)).ShouldBe(4);
        rest[..4].ShouldBe(data[^4..]);
    }

    [Fact]
    public async Task EmptyContent_RoundTrips()
    {
        var cid = await _store.AddAsync(new MemoryStream(), Ct);

        cid.Value.ShouldBe("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
        await using var stream = await _store.OpenReadAsync(cid, Ct);
        (await stream.ReadAsync(new byte[10], Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task CorruptedBlock_IsDetectedOnRead_NamingItsCid()
    {
        var data = RandomNumberGenerator.GetBytes((2 * Chunk) + 1);
        var cid = await _store.AddAsync(new MemoryStream(data), Ct);
        var leaf = await UnixFsBuilder.ComputeAsync(new MemoryStream(data[Chunk..(2 * Chunk)]), Ct);
        var path = _store.BlockPath(leaf);
        var bytes = await File.ReadAllBytesAsync(path, Ct);
        bytes[100] ^= 0xff;
        await File.WriteAllBytesAsync(path, bytes, Ct);

        await using var stream = await _store.OpenReadAsync(cid, Ct);
        var ex = await Should.ThrowAsync<InvalidDataException>(() => stream.CopyToAsync(Stream.Null, Ct));

        ex.Message.ShouldContain(leaf.Value);
        ex.Message.ShouldContain("corrupted");
    }

    [Fact]
    public async Task MissingContent_IsFileNotFound()
    {
        var absent = Cid.FromSha256Digest(new byte[32]);

        await Should.ThrowAsync<FileNotFoundException>(() => _store.OpenReadAsync(absent, Ct));
        await Should.ThrowAsync<FileNotFoundException>(() => _store.PinAsync(absent, Ct));
        (await _store.ContainsAsync(absent, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task CancelledAdd_LeavesNoBlocksAndNoTempFiles()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var source = new CancelAfterStream(RandomNumberGenerator.GetBytes(5 * Chunk), cancelAfter: (3 * Chunk) + 5, cts);

        await Should.ThrowAsync<OperationCanceledException>(() => _store.AddAsync(source, pin: true, cts.Token));

        _folder.Files().ShouldBeEmpty();
    }

    [Fact]
    public async Task FailingSource_LeavesNoBlocks_ButKeepsBlocksOthersStored()
    {
        var kept = await _store.AddAsync(new MemoryStream(RandomNumberGenerator.GetBytes(2 * Chunk)), pin: true, Ct);
        var before = _folder.Files();

        await Should.ThrowAsync<IOException>(() => _store.AddAsync(new FailingStream(3 * Chunk), pin: true, Ct));

        _folder.Files().ShouldBe(before, ignoreOrder: true);
        _store.Pins().ShouldBe([kept]);
    }

    [Fact]
    public async Task GarbageCollection_RemovesOnlyBlocksNoPinReaches()
    {
        var shared = RandomNumberGenerator.GetBytes(Chunk);
        var pinnedData = shared.Concat(RandomNumberGenerator.GetBytes(Chunk + 7)).ToArray();
        var loose = shared.Concat(RandomNumberGenerator.GetBytes(3)).ToArray(); // shares its first leaf with the pinned file
        var pinned = await _store.AddAsync(new MemoryStream(pinnedData), pin: true, Ct);
        var unpinned = await _store.AddAsync(new MemoryStream(loose), Ct);
        var unpinnedLater = await _store.AddAsync(new MemoryStream(RandomNumberGenerator.GetBytes(10)), pin: true, Ct);
        await _store.UnpinAsync(unpinnedLater, Ct);
        var strayTemp = Path.Combine(_folder.Path, pinned.Value[^3..^1], ".tmp-left-over");
        await File.WriteAllBytesAsync(strayTemp, [1, 2, 3], Ct);

        var result = await _store.CollectGarbageAsync(Ct);

        result.BlocksKept.ShouldBe(4); // pinned root + 3 leaves (one of them shared)
        result.BlocksRemoved.ShouldBe(3); // loose root + its own last leaf + the unpinned one-block file
        result.TempFilesRemoved.ShouldBe(1);
        File.Exists(strayTemp).ShouldBeFalse();
        (await _store.ContainsAsync(unpinned, Ct)).ShouldBeFalse();
        (await _store.ContainsAsync(unpinnedLater, Ct)).ShouldBeFalse();
        await using var stream = await _store.OpenReadAsync(pinned, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        copy.ToArray().ShouldBe(pinnedData);
    }

    [Fact]
    public async Task GarbageCollection_WaitsForARunningAdd()
    {
        var gate = new GatedStream(RandomNumberGenerator.GetBytes(3 * Chunk));
        var add = _store.AddAsync(gate, pin: true, Ct);
        await gate.FirstReadDone.Task.WaitAsync(Ct);

        var gc = _store.CollectGarbageAsync(Ct);
        await Task.Delay(200, Ct);
        gc.IsCompleted.ShouldBeFalse();
        gate.Release.SetResult();
        var cid = await add;
        await gc;

        (await _store.ContainsAsync(cid, Ct)).ShouldBeTrue();
        await using var stream = await _store.OpenReadAsync(cid, Ct);
        await stream.CopyToAsync(Stream.Null, Ct);
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    /// <summary>Cancels its token once <c>cancelAfter</c> bytes have been read.</summary>
    private sealed class CancelAfterStream(byte[] data, int cancelAfter, CancellationTokenSource cts) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= cancelAfter)
            {
                await cts.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 100_000)], cancellationToken);
        }
    }

    /// <summary>Gives zeros, then fails with an IOException after <c>failAfter</c> bytes.</summary>
    private sealed class FailingStream(int failAfter) : MemoryStream(new byte[failAfter])
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAfter ? throw new IOException("connection reset") : base.ReadAsync(buffer, cancellationToken);
    }

    /// <summary>After the first read, waits for <see cref="Release"/>.</summary>
    private sealed class GatedStream(byte[] data) : MemoryStream(data)
    {
        public TaskCompletionSource FirstReadDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position > 0)
            {
                FirstReadDone.TrySetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await base.ReadAsync(buffer, cancellationToken);
        }
    }
}
