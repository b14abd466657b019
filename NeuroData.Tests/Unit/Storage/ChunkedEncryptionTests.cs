using System.Security.Cryptography;
using NeuroData.Infrastructure.Storage;

namespace NeuroData.Tests.Unit.Storage;

public sealed class ChunkedEncryptionTests
{
    private const int Chunk = ChunkedEncryption.ChunkSize;
    private const int Sealed = ChunkedEncryption.EncryptedChunkSize;
    private const int Header = ChunkedEncryption.HeaderSize;

    public static TheoryData<int> Sizes => [0, 1, Chunk - 1, Chunk, Chunk + 1, (3 * Chunk) + 17, 4 * Chunk];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task RoundTrip_GivesThePlaintextBack(int size)
    {
        var (plain, key, cipher) = Encrypt(size);

        cipher.Length.ShouldBe((int)ChunkedEncryption.CiphertextLength(size));
        ChunkedEncryption.PlaintextLength(cipher.Length).ShouldBe(size);
        (await DecryptAsync(cipher, key, 0)).ShouldBe(plain);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 5)]
    [InlineData((3 * Chunk) + 16)]
    [InlineData((3 * Chunk) + 17)]
    public async Task Decrypt_FromAnOffset_GivesTheRestOfThePlaintext(int offset)
    {
        var (plain, key, cipher) = Encrypt((3 * Chunk) + 17);

        (await DecryptAsync(cipher, key, offset)).ShouldBe(plain[offset..]);
    }

    [Fact]
    public void SyncRead_RoundTripsToo()
    {
        var (plain, key, cipher) = Encrypt((2 * Chunk) + 3);
        using var stream = new DecryptingStream(key, cipher[..Header], new MemoryStream(cipher, Header, cipher.Length - Header), 0);
        using var copy = new MemoryStream();

        stream.CopyTo(copy);

        copy.ToArray().ShouldBe(plain);
    }

    [Theory]
    [InlineData(10)] // the header's nonce prefix
    [InlineData(Header)] // first ciphertext byte
    [InlineData(Header + Sealed - 1)] // last tag byte of chunk 0
    [InlineData(Header + Sealed + 10)] // chunk 1
    public async Task TamperedByte_FailsAuthentication(int position)
    {
        var (_, key, cipher) = Encrypt((2 * Chunk) + 100);
        cipher[position] ^= 0x01;

        await Should.ThrowAsync<AuthenticationTagMismatchException>(() => DecryptAsync(cipher, key, 0));
    }

    [Fact]
    public async Task SwappedChunks_FailAuthentication()
    {
        var (_, key, cipher) = Encrypt(3 * Chunk);
        var swapped = (byte[])cipher.Clone();
        Array.Copy(cipher, Header, swapped, Header + Sealed, Sealed);
        Array.Copy(cipher, Header + Sealed, swapped, Header, Sealed);

        await Should.ThrowAsync<AuthenticationTagMismatchException>(() => DecryptAsync(swapped, key, 0));
    }

    [Fact]
    public async Task TruncatedAtAChunkBoundary_IsDetected()
    {
        var (_, key, cipher) = Encrypt((2 * Chunk) + 100);

        var ex = await Should.ThrowAsync<InvalidDataException>(() => DecryptAsync(cipher[..(Header + (2 * Sealed))], key, 0));
        ex.Message.ShouldContain("truncated");
    }

    [Fact]
    public async Task DroppingTheEmptyFinalChunk_IsDetected()
    {
        var (_, key, cipher) = Encrypt(2 * Chunk); // ends with an empty final chunk (just its tag)

        await Should.ThrowAsync<InvalidDataException>(() => DecryptAsync(cipher[..^ChunkedEncryption.TagSize], key, 0));
    }

    [Fact]
    public async Task TruncatedInsideTheLastChunk_FailsAuthentication()
    {
        var (_, key, cipher) = Encrypt((2 * Chunk) + 100);

        await Should.ThrowAsync<AuthenticationTagMismatchException>(() => DecryptAsync(cipher[..^1], key, 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Sealed)]
    public async Task Extended_FailsAuthentication(int extra)
    {
        var (_, key, cipher) = Encrypt(Chunk + 100);
        var extended = cipher.Concat(new byte[extra]).ToArray();

        await Should.ThrowAsync<AuthenticationTagMismatchException>(() => DecryptAsync(extended, key, 0));
    }

    [Fact]
    public async Task ExtendedByAnotherFilesChunk_FailsAuthentication()
    {
        var (_, key, cipher) = Encrypt(Chunk);
        var extended = cipher[..^ChunkedEncryption.TagSize].Concat(cipher[Header..(Header + Sealed)]).Concat(cipher[^ChunkedEncryption.TagSize..]).ToArray();

        await Should.ThrowAsync<AuthenticationTagMismatchException>(() => DecryptAsync(extended, key, 0));
    }

    [Fact]
    public async Task WrongKey_FailsAuthentication()
    {
        var (_, _, cipher) = Encrypt(1000);

        await Should.ThrowAsync<AuthenticationTagMismatchException>(() => DecryptAsync(cipher, RandomNumberGenerator.GetBytes(32), 0));
    }

    [Fact]
    public void NotOurFormat_IsRejectedWithAClearMessage()
    {
        var ex = Should.Throw<InvalidDataException>(() => new DecryptingStream(new byte[32], new byte[Header], Stream.Null, 0));

        ex.Message.ShouldContain("not a NeuroData encrypted file");
    }

    [Fact]
    public void SamePlaintextAndKey_EncryptTwice_DifferentCiphertext()
    {
        var plain = RandomNumberGenerator.GetBytes(5000);
        var key = RandomNumberGenerator.GetBytes(32);

        EncryptWith(plain, key).ShouldNotBe(EncryptWith(plain, key)); // random nonce prefix per file
    }

    [Fact]
    public void PlatformKey_WrapsAndUnwraps_AndRejectsTamperingAndOtherKeys()
    {
        var ring = new PlatformKeyRing(RandomNumberGenerator.GetBytes(32));
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var wrapped = ring.Wrap(dataKey);

        wrapped.Length.ShouldBe(PlatformKeyRing.WrappedKeySize);
        wrapped[1].ShouldBe((byte)1);
        ring.Unwrap(wrapped).ShouldBe(dataKey);
        ring.Wrap(dataKey).ShouldNotBe(wrapped);

        var tampered = (byte[])wrapped.Clone();
        tampered[20] ^= 1;
        Should.Throw<AuthenticationTagMismatchException>(() => ring.Unwrap(tampered));
        Should.Throw<AuthenticationTagMismatchException>(() => new PlatformKeyRing(RandomNumberGenerator.GetBytes(32)).Unwrap(wrapped));
        Should.Throw<CryptographicException>(() => new PlatformKeyRing(RandomNumberGenerator.GetBytes(32), keyId: 2).Unwrap(wrapped))
            .Message.ShouldContain("platform key 1");
    }

    private static (byte[] Plain, byte[] Key, byte[] Cipher) Encrypt(int size)
    {
        var plain = RandomNumberGenerator.GetBytes(size);
        var key = RandomNumberGenerator.GetBytes(32);
        return (plain, key, EncryptWith(plain, key));
    }

    private static byte[] EncryptWith(byte[] plain, byte[] key)
    {
        using var encrypting = new EncryptingStream(new MemoryStream(plain), key);
        using var output = new MemoryStream();
        encrypting.CopyTo(output, 10_000); // odd buffer size: reads straddle chunk boundaries
        return output.ToArray();
    }

    private static async Task<byte[]> DecryptAsync(byte[] cipher, byte[] key, long offset)
    {
        var start = (int)Math.Min(DecryptingStream.ChunkStart(offset), cipher.Length);
        await using var stream = new DecryptingStream(key, cipher[..Header], new MemoryStream(cipher, start, cipher.Length - start), offset);
        using var output = new MemoryStream();
        await stream.CopyToAsync(output, 7_000, TestContext.Current.CancellationToken);
        return output.ToArray();
    }
}
