using System.IO.Compression;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace NeuroData.Tests.Integration.Ingest;

/// <summary>Each bad-input class of SECURITY.md "Uploads" for plain files: a clear message, nothing written, no temp file.</summary>
public sealed class InspectorRejectionTests : IDisposable
{
    private readonly IngestHarness harness = new();

    public void Dispose() => harness.Dispose();

    [Theory]
    [InlineData("", "The file is empty.")]
    [InlineData("\uFEFF", "only a byte order mark")]
    [InlineData("   \n\r\n", "only blank lines")]
    [InlineData("a,b\n", "has a header but no data rows")]
    [InlineData("a,b\r\n\r\n\n", "has a header but no data rows")]
    [InlineData("%PDF-1.7\n1 0 obj", "looks like a PDF document, not a table")]
    [InlineData("[{\"a\":1}]", "looks like a JSON array; upload JSON Lines")]
    [InlineData("<html><body>", "HTML or XML document")]
    [InlineData("a,b\n1,2\n3\n", "Line 3 has 1 columns but the header has 2")]
    [InlineData("a,b\n1,2,3\n", "Line 2 has 3 columns but the header has 2")]
    [InlineData("a,b\n1,\"open\n2,3\n", "The quote opened on line 2 is never closed")]
    [InlineData("a\n\"x\"y\n", "Line 2: unexpected characters after a closing quote")]
    [InlineData("a,A\n1,2\n", "Columns 1 and 2 have the same name \"A\"")]
    [InlineData("a,,c\n1,2,3\n", "Column 2 has an empty name")]
    [InlineData("a, \n1,2\n", "Column 2 has an empty name")]
    [InlineData("{\"a\":{\"b\":1}}\n", "the value of \"a\" is a nested object")]
    [InlineData("{\"a\":[1,2]}\n", "the value of \"a\" is a nested array")]
    [InlineData("{\"a\":1}\n[1]\n", "Line 2 is not a JSON object")]
    [InlineData("{\"a\":1}\n{\"a\":2,\"b\":3}\n", "Line 2 has the key \"b\" that the first line does not have")]
    [InlineData("{\"a\":1}\n{\"a\":2\n", "Line 2 is not valid JSON")]
    [InlineData("{\"a\":1}\n{\"a\":2} {\"a\":3}\n", "Line 2 is not valid JSON")]
    [InlineData("{\"a\":1,\"a\":2}\n", "Line 1 has the key \"a\" twice")]
    public async Task BadText_IsRejectedWithItsReason(string content, string expected)
    {
        var message = await harness.RejectAsync(content);
        message.ShouldContain(expected, Case.Sensitive);
    }

    [Fact]
    public async Task Gzip_IsRejectedAsCompressed()
    {
        using var ms = new MemoryStream();
        await using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gz.WriteAsync(IngestHarness.Utf8("a,b\n1,2\n"), TestContext.Current.CancellationToken);
        }

        (await harness.RejectAsync(ms.ToArray())).ShouldBe("The file is compressed with gzip; upload the uncompressed file or a ZIP.");
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "a PNG image")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "a JPEG image")]
    [InlineData(new byte[] { 0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0, 4 }, "a 7-Zip archive")]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }, "an old Microsoft Office document")]
    public async Task KnownBinaryFormats_AreNamed(byte[] head, string kind)
    {
        (await harness.RejectAsync([.. head, .. new byte[100]])).ShouldContain($"looks like {kind}");
    }

    [Fact]
    public async Task NulBytes_AreRejectedAsBinary()
    {
        (await harness.RejectAsync("a,b\n1,\0\n")).ShouldContain("contains NUL bytes");
    }

    [Fact]
    public async Task Utf16_IsRejected()
    {
        (await harness.RejectAsync(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("a,b\n1,2\n")).ToArray()))
            .ShouldBe("The file is UTF-16 text; save it as UTF-8.");
    }

    [Fact]
    public async Task InvalidUtf8_NamesTheLine()
    {
        byte[] content = [.. IngestHarness.Utf8("a,b\n1,ok\n2,"), 0xC3, 0x28, .. IngestHarness.Utf8("\n")];
        (await harness.RejectAsync(content)).ShouldBe("Line 3 is not valid UTF-8 text; save the file with UTF-8 encoding.");
    }

    [Fact]
    public async Task InvalidUtf8_InJsonLines_NamesTheLine()
    {
        byte[] content = [.. IngestHarness.Utf8("{\"a\":\"x\"}\n{\"a\":\""), 0xFF, .. IngestHarness.Utf8("\"}\n")];
        (await harness.RejectAsync(content)).ShouldStartWith("Line 2 is not valid UTF-8");
    }

    [Fact]
    public async Task HugeField_IsRejected()
    {
        harness.Options.MaxFieldBytes = 10;
        harness.Options.MaxLineBytes = 100;
        (await harness.RejectAsync("a,b\n1,2\n3,\"" + new string('x', 11) + "\"\n")).ShouldBe("Line 3 has a field longer than 10 bytes.");
    }

    [Fact]
    public async Task HugeLine_IsRejected()
    {
        harness.Options.MaxFieldBytes = 10;
        harness.Options.MaxLineBytes = 20;
        (await harness.RejectAsync("a,b,c\n1,2,3\n123456789,123456789,123456789\n")).ShouldBe("Line 3 is longer than 20 bytes.");
    }

    [Fact]
    public async Task HugeJsonLine_IsRejected()
    {
        harness.Options.MaxFieldBytes = 10;
        harness.Options.MaxLineBytes = 20;
        (await harness.RejectAsync("{\"a\":1}\n{\"a\":\"" + new string('x', 30) + "\"}\n")).ShouldBe("Line 2 is longer than 20 bytes.");
    }

    [Fact]
    public async Task TooManyColumns_AreRejected()
    {
        harness.Options.MaxColumns = 3;
        (await harness.RejectAsync("a,b,c,d\n1,2,3,4\n")).ShouldBe("The table has 4 columns; at most 3 are accepted.");
    }

    [Fact]
    public async Task ParquetWithLyingFooterLength_IsRejected()
    {
        var bytes = await SmallParquetAsync();
        BitConverter.GetBytes(int.MaxValue).CopyTo(bytes, bytes.Length - 8);
        (await harness.RejectAsync(bytes)).ShouldContain($"footer claims {int.MaxValue:N0} bytes of metadata but the file has only {bytes.Length:N0} bytes");
    }

    [Fact]
    public async Task ParquetWithHugeMetadata_IsRejected()
    {
        harness.Options.MaxParquetMetadataBytes = 64;
        (await harness.RejectAsync(await SmallParquetAsync())).ShouldContain("bytes; at most 64 are accepted");
    }

    [Fact]
    public async Task TruncatedParquet_IsRejected()
    {
        var bytes = await SmallParquetAsync();
        (await harness.RejectAsync(bytes[..^10])).ShouldContain("starts like a Parquet file but does not end like one");
    }

    [Fact]
    public async Task ParquetWithGarbageMetadata_IsRejectedNotCrashing()
    {
        var bytes = await SmallParquetAsync();
        var metadataLength = BitConverter.ToInt32(bytes, bytes.Length - 8);
        Array.Fill(bytes, (byte)0xFF, bytes.Length - 8 - metadataLength, metadataLength);
        (await harness.RejectAsync(bytes)).ShouldStartWith("The Parquet file is damaged or uses features that cannot be read");
    }

    [Fact]
    public async Task ParquetWithLyingRowCount_IsRejected()
    {
        harness.Options.MaxParquetRowGroupCells = 3;
        (await harness.RejectAsync(await SmallParquetAsync())).ShouldContain("Parquet row group 1 declares 2 rows of 2 columns; at most 3 cells");
    }

    [Fact]
    public async Task ParquetWithNestedColumns_IsRejected()
    {
        using var ms = new MemoryStream();
        await Parquet.Serialization.ParquetSerializer.SerializeAsync(
            [new Outer { Id = 1, Inner = new InnerPart { A = 2 } }], ms, cancellationToken: TestContext.Current.CancellationToken);
        (await harness.RejectAsync(ms.ToArray())).ShouldBe("The Parquet file has nested or repeated columns (lists, maps or structs); only flat tables are accepted.");
    }

    [Fact]
    public async Task ParquetWithListColumn_IsRejected()
    {
        using var ms = new MemoryStream();
        await Parquet.Serialization.ParquetSerializer.SerializeAsync(
            [new WithList { Id = 1, Values = [1, 2] }], ms, cancellationToken: TestContext.Current.CancellationToken);
        (await harness.RejectAsync(ms.ToArray())).ShouldContain("nested or repeated columns");
    }

    internal static async Task<byte[]> SmallParquetAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = new DataField<long>("a");
        var b = new DataField<string>("b");
        using var ms = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(a, b), ms, cancellationToken: ct))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(a, new long[] { 1, 2 }.AsMemory(), null, null, ct);
            await group.WriteAsync(b, ["x", "y"], null);
        }

        return ms.ToArray();
    }

    public sealed class Outer
    {
        public int Id { get; set; }

        public InnerPart? Inner { get; set; }
    }

    public sealed class InnerPart
    {
        public int A { get; set; }
    }

    public sealed class WithList
    {
        public int Id { get; set; }

        public List<int> Values { get; set; } = [];
    }
}
