using System.Security.Cryptography;
using NeuroData.Infrastructure.Storage;

namespace NeuroData.Tests.Integration.Storage;

public sealed class DatasetStorageTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly LocalBlockstore _store;
    private readonly PlatformKeyRing _keys = new(RandomNumberGenerator.GetBytes(32));
    private readonly DatasetStorage _storage;

    public DatasetStorageTests()
    {
        _store = new LocalBlockstore(_folder.Path);
        _storage = new DatasetStorage(_store, _keys);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(ChunkedEncryption.ChunkSize)]
    [InlineData((5 * UnixFsBuilder.ChunkSize) + 321)]
    public async Task Store_ComputesPlaintextCidHashAndSize_StoresOnlyCiphertext_AndOpensBack(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);

        var stored = await _storage.StoreAsync(new MemoryStream(data), Ct);

        stored.Cid.ShouldBe(await UnixFsBuilder.ComputeAsync(new MemoryStream(data), Ct));
        stored.Sha256Hex.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(data)));
        stored.SizeBytes.ShouldBe(size);
        stored.StorageCid.ShouldNotBe(stored.Cid);
        _store.Pins().ShouldBe([stored.StorageCid]);
        (await _store.ContainsAsync(stored.Cid, Ct)).ShouldBeFalse(); // the plaintext never enters the store

        await using var stream = await _storage.OpenAsync(stored.StorageCid, stored.WrappedKey, 0, Ct);
        stream.Length.ShouldBe(size);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        copy.ToArray().ShouldBe(data);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(65535L)]
    [InlineData(65536L)]
    [InlineData(300_000L)]
    [InlineData(400_000L)]
    public async Task Open_AtAnOffset_ForRangeRequests(long offset)
    {
        var data = RandomNumberGenerator.GetBytes(400_000);
        var stored = await _storage.StoreAsync(new MemoryStream(data), Ct);

        await using var stream = await _storage.OpenAsync(stored.StorageCid, stored.WrappedKey, offset, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);

        copy.ToArray().ShouldBe(data[(int)offset..]);
    }

    [Fact]
    public async Task Open_BeyondTheEnd_IsRejected()
    {
        var stored = await _storage.StoreAsync(new MemoryStream(new byte[10]), Ct);

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => _storage.OpenAsync(stored.StorageCid, stored.WrappedKey, 11, Ct));
    }

    [Fact]
    public async Task TwoFiles_NeverShareADataKey_EvenWithTheSameContent()
    {
        var data = RandomNumberGenerator.GetBytes(1000);

        var a = await _storage.StoreAsync(new MemoryStream(data), Ct);
        var b = await _storage.StoreAsync(new MemoryStream(data), Ct);

        a.Cid.ShouldBe(b.Cid);
        a.StorageCid.ShouldNotBe(b.StorageCid);
        _keys.Unwrap(a.WrappedKey).ShouldNotBe(_keys.Unwrap(b.WrappedKey));
    }

    [Fact]
    public async Task WrongWrappedKey_FailsToOpen()
    {
        var a = await _storage.StoreAsync(new MemoryStream(RandomNumberGenerator.GetBytes(1000)), Ct);
        var b = await _storage.StoreAsync(new MemoryStream(RandomNumberGenerator.GetBytes(1000)), Ct);

        await using var stream = await _storage.OpenAsync(a.StorageCid, b.WrappedKey, 0, Ct);
        await Should.ThrowAsync<AuthenticationTagMismatchException>(() => stream.CopyToAsync(Stream.Null, Ct));
    }

    [Fact]
    public async Task FailedOrCancelledStore_LeavesNothing()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var data = RandomNumberGenerator.GetBytes(4 * UnixFsBuilder.ChunkSize);
        var source = new CancellingStream(data, cts, cancelAt: 2 * UnixFsBuilder.ChunkSize);

        await Should.ThrowAsync<OperationCanceledException>(() => _storage.StoreAsync(source, cts.Token));

        _folder.Files().ShouldBeEmpty();
    }

    [Fact]
    public async Task Remove_Unpins_AndGarbageCollectionThenDeletesTheCiphertext()
    {
        var keep = await _storage.StoreAsync(new MemoryStream(RandomNumberGenerator.GetBytes(1000)), Ct);
        var gone = await _storage.StoreAsync(new MemoryStream(RandomNumberGenerator.GetBytes(1000)), Ct);

        await _storage.RemoveAsync(gone.StorageCid, Ct);
        await _store.CollectGarbageAsync(Ct);

        (await _store.ContainsAsync(gone.StorageCid, Ct)).ShouldBeFalse();
        (await _store.ContainsAsync(keep.StorageCid, Ct)).ShouldBeTrue();
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private sealed class CancellingStream(byte[] data, CancellationTokenSource cts, int cancelAt) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= cancelAt)
            {
                await cts.CancelAsync();
            }

            cancellationToken.ThrowIfCancellationRequested();
            return await base.ReadAsync(buffer, cancellationToken);
        }
    }
}
