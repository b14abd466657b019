using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;

namespace NeuroData.Infrastructure.Storage;

/// <summary>A content store that can also pin on add, read from an offset and unpin (local blockstore or Kubo).</summary>
public interface IPinningContentStore : IContentStore
{
    /// <summary>Stores the stream's bytes as a UnixFS file (pinned when asked); nothing is left behind when it throws or is
    /// cancelled.</summary>
    Task<Cid> AddAsync(Stream content, bool pin, CancellationToken cancellationToken = default);

    /// <summary>The file's bytes from <paramref name="offset"/>; <see cref="FileNotFoundException"/> when not stored.</summary>
    Task<Stream> OpenReadAsync(Cid cid, long offset, CancellationToken cancellationToken = default);

    /// <summary>Lets garbage collection remove the content (no effect when it is not pinned).</summary>
    Task UnpinAsync(Cid cid, CancellationToken cancellationToken = default);
}

/// <summary>What a garbage collection did.</summary>
public sealed record GarbageCollectionResult(int BlocksKept, int BlocksRemoved, long BytesRemoved, int TempFilesRemoved);

/// <summary>
/// The embedded blockstore: one file per dag-pb block under <c>{root}/{2 chars of the CID}/{CID}</c>, written atomically
/// (temp file in the same folder, flushed, then moved into place), its SHA-256 checked on every read; recursive pins as
/// empty files under <c>{root}/pins/{CID}</c>; <see cref="CollectGarbageAsync"/> removes every block that no pin reaches.
/// Adds and garbage collection exclude each other (adds run concurrently with each other).
/// </summary>
public sealed class LocalBlockstore : IPinningContentStore, IDisposable
{
    private const string TempPrefix = ".tmp-";
    private readonly string _root;
    private readonly string _pins;
    private readonly ConcurrentDictionary<string, bool> _knownShards = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gcLock = new(1, 1);
    private int _activeWriters;

    public LocalBlockstore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _pins = Path.Combine(_root, "pins");
    }

    public string Root => _root;

    /// <summary>Whether blocks are fsync'ed before they are moved into place (slower; default false: flushed to the OS).</summary>
    public bool FlushToDisk { get; init; }

    public Task<Cid> AddAsync(Stream content, CancellationToken cancellationToken = default) => AddAsync(content, pin: false, cancellationToken);

    public async Task<Cid> AddAsync(Stream content, bool pin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        await EnterWriterAsync(cancellationToken);
        using var sink = new FileSink(this);
        try
        {
            using var builder = new UnixFsBuilder(sink);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var read = await content.ReadAsync(builder.GetBuffer(), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                builder.Advance(read);
            }

            var cid = builder.Complete();
            await sink.FinishAsync();
            if (pin)
            {
                WritePin(cid);
            }

            return cid;
        }
        catch
        {
            await sink.AbortAsync();
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _activeWriters);
        }
    }

    public Task<Stream> OpenReadAsync(Cid cid, CancellationToken cancellationToken = default) => OpenReadAsync(cid, 0, cancellationToken);

    public Task<Stream> OpenReadAsync(Cid cid, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(BlockPath(cid)))
        {
            throw new FileNotFoundException($"Content {cid} is not in the blockstore.");
        }

        return Task.FromResult<Stream>(new UnixFsFileStream(cid, ReadBlock, offset));
    }

    public Task<bool> ContainsAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        return Task.FromResult(cid.Version == 0 && File.Exists(BlockPath(cid)));
    }

    public Task PinAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (!File.Exists(BlockPath(cid)))
        {
            throw new FileNotFoundException($"Content {cid} is not in the blockstore, so it cannot be pinned.");
        }

        WritePin(cid);
        return Task.CompletedTask;
    }

    public Task UnpinAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        File.Delete(Path.Combine(_pins, cid.Value));
        return Task.CompletedTask;
    }

    public void Dispose() => _gcLock.Dispose();

    public bool IsPinned(Cid cid) => File.Exists(Path.Combine(_pins, cid.Value));

    /// <summary>The pinned roots.</summary>
    public IReadOnlyList<Cid> Pins() =>
        Directory.Exists(_pins)
            ? [.. Directory.EnumerateFiles(_pins).Select(Path.GetFileName).Select(n => Cid.TryParse(n, out var c, out _) ? c : null).OfType<Cid>()]
            : [];

    /// <summary>
    /// Removes every block no pin reaches (pins are recursive) and left-over temp files; waits for running adds and
    /// holds new ones back meanwhile. A pinned DAG with a missing or corrupted block stops the collection (nothing is
    /// removed) with the error.
    /// </summary>
    public async Task<GarbageCollectionResult> CollectGarbageAsync(CancellationToken cancellationToken = default)
    {
        await _gcLock.WaitAsync(cancellationToken);
        try
        {
            while (Volatile.Read(ref _activeWriters) > 0)
            {
                await Task.Delay(20, cancellationToken);
            }

            var reachable = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pin in Pins())
            {
                Mark(pin, reachable, cancellationToken);
            }

            int kept = 0, removed = 0, temps = 0;
            long bytes = 0;
            if (!Directory.Exists(_root))
            {
                return new GarbageCollectionResult(0, 0, 0, 0);
            }

            foreach (var shard in Directory.EnumerateDirectories(_root))
            {
                if (string.Equals(shard, _pins, StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(shard))
                {
                    var name = Path.GetFileName(file);
                    if (name.StartsWith(TempPrefix, StringComparison.Ordinal))
                    {
                        File.Delete(file);
                        temps++;
                    }
                    else if (reachable.Contains(name))
                    {
                        kept++;
                    }
                    else
                    {
                        bytes += new FileInfo(file).Length;
                        File.Delete(file);
                        removed++;
                    }
                }
            }

            return new GarbageCollectionResult(kept, removed, bytes, temps);
        }
        finally
        {
            _gcLock.Release();
        }
    }

    /// <summary>Reads a block and checks its hash; <see cref="InvalidDataException"/> naming the CID when it does not match.</summary>
    public byte[] ReadBlock(byte[] sha256Digest)
    {
        var cid = Cid.FromSha256Digest(sha256Digest);
        byte[] block;
        try
        {
            block = File.ReadAllBytes(BlockPath(cid));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"Block {cid} is missing from the blockstore.", ex);
        }

        Span<byte> actual = stackalloc byte[32];
        SHA256.HashData(block, actual);
        if (!actual.SequenceEqual(sha256Digest))
        {
            throw new InvalidDataException($"Block {cid} is corrupted: its content does not hash to its CID.");
        }

        return block;
    }

    /// <summary>Where the block of <paramref name="cid"/> lives.</summary>
    public string BlockPath(Cid cid) => Path.Combine(_root, Shard(cid.Value), cid.Value);

    private static string Shard(string cid) => cid[^3..^1];

    private void Mark(Cid root, HashSet<string> reachable, CancellationToken cancellationToken)
    {
        var pending = new Stack<byte[]>();
        pending.Push(root.GetSha256Digest());
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var digest = pending.Pop();
            var cid = Cid.FromSha256Digest(digest);
            if (!reachable.Add(cid.Value))
            {
                continue;
            }

            var node = DagNode.Parse(ReadBlock(digest), cid);
            foreach (var link in node.LinkDigests)
            {
                pending.Push(link);
            }
        }
    }

    private async Task EnterWriterAsync(CancellationToken cancellationToken)
    {
        // Writers pass the GC lock only while no collection runs; a collection waits for running writers to finish.
        await _gcLock.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _activeWriters);
        _gcLock.Release();
    }

    private void WritePin(Cid cid)
    {
        Directory.CreateDirectory(_pins);
        File.WriteAllBytes(Path.Combine(_pins, cid.Value), []);
    }

    /// <summary>
    /// Writes each block once, atomically, on a writer thread behind the builder (at most 16 blocks wait, so the hashing
    /// and encryption of the next chunks overlap the file system calls); remembers the blocks it created so a failed
    /// add can remove them.
    /// </summary>
    private sealed class FileSink : IBlockSink, IDisposable
    {
        private readonly LocalBlockstore _store;
        private readonly BlockingCollection<(string Directory, string Path, byte[] Buffer, int Length)> _queue = new(boundedCapacity: 16);
        private readonly CancellationTokenSource _failed = new();
        private readonly List<string> _written = [];
        private readonly Task _writer;

        public FileSink(LocalBlockstore store)
        {
            _store = store;
            _writer = Task.Factory.StartNew(WriteAll, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        public void Put(ReadOnlySpan<byte> sha256Digest, ReadOnlySpan<byte> block)
        {
            var cid = Cid.FromSha256Digest(sha256Digest).Value;
            var directory = Path.Combine(_store._root, Shard(cid));
            var buffer = ArrayPool<byte>.Shared.Rent(block.Length);
            block.CopyTo(buffer);
            try
            {
                _queue.Add((directory, Path.Combine(directory, cid), buffer, block.Length), _failed.Token);
            }
            catch (OperationCanceledException)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                _writer.GetAwaiter().GetResult(); // the writer's own failure
                throw;
            }
        }

        /// <summary>Waits until every block is in place (rethrows a write failure).</summary>
        public async Task FinishAsync()
        {
            _queue.CompleteAdding();
            await _writer;
        }

        /// <summary>Stops writing and removes the blocks this add created.</summary>
        public async Task AbortAsync()
        {
            if (!_queue.IsAddingCompleted)
            {
                _queue.CompleteAdding();
            }

            try
            {
                await _writer;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The add fails anyway; what was written is removed below.
            }

            foreach (var path in _written)
            {
                File.Delete(path);
            }

            _written.Clear();
        }

        public void Dispose()
        {
            if (!_queue.IsAddingCompleted)
            {
                _queue.CompleteAdding();
            }

            _ = _writer.ContinueWith(static _ => { }, TaskScheduler.Default).Wait(Timeout.Infinite);
            _queue.Dispose();
            _failed.Dispose();
        }

        private void WriteAll()
        {
            try
            {
                foreach (var (directory, path, buffer, length) in _queue.GetConsumingEnumerable())
                {
                    try
                    {
                        Write(directory, path, buffer.AsSpan(0, length));
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
            catch
            {
                _failed.Cancel();
                foreach (var item in _queue.GetConsumingEnumerable())
                {
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                }

                throw;
            }
        }

        private void Write(string directory, string path, ReadOnlySpan<byte> block)
        {
            if (File.Exists(path))
            {
                return;
            }

            if (!_store._knownShards.ContainsKey(directory))
            {
                Directory.CreateDirectory(directory);
                _store._knownShards[directory] = true;
            }

            var temp = Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N"));
            try
            {
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
                {
                    file.Write(block);
                    file.Flush(_store.FlushToDisk);
                }

                File.Move(temp, path, overwrite: true);
                _written.Add(path);
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
        }
    }
}
