using System.IO.Compression;
using System.Text;
using NeuroData.Domain.Datasets;

namespace NeuroData.Tests.Integration.Ingest;

/// <summary>Hostile ZIP archives (SECURITY.md "Uploads"), forged by patching real archives.</summary>
public sealed class ZipRejectionTests : IDisposable
{
    private const string Csv = "k,v\n1,x\n2,y\n";
    private readonly IngestHarness harness = new();

    public void Dispose() => harness.Dispose();

    [Fact]
    public async Task NestedArchive_IsRejected()
    {
        var inner = ZipForge.Create(("a.csv", Csv)).Bytes;
        var zip = ZipForge.Create(("a.csv", Encoding.UTF8.GetBytes(Csv)), ("inner.csv", inner));
        (await harness.RejectAsync(zip.Bytes)).ShouldBe("ZIP entry \"inner.csv\": the entry is itself an archive; nested archives are not accepted.");
    }

    [Fact]
    public async Task NestedGzip_IsRejected()
    {
        using var ms = new MemoryStream();
        await using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gz.WriteAsync(IngestHarness.Utf8(Csv), TestContext.Current.CancellationToken);
        }

        (await harness.RejectAsync(ZipForge.Create(("a.csv.gz", ms.ToArray())).Bytes)).ShouldContain("nested archives are not accepted");
    }

    [Fact]
    public async Task EncryptedEntry_IsRejected()
    {
        var zip = ZipForge.Create(("a.csv", Csv)).SetFlags(0, 0x0001);
        (await harness.RejectAsync(zip.Bytes)).ShouldBe("The ZIP entry \"a.csv\" is encrypted; upload an archive without a password.");
    }

    [Fact]
    public async Task StrongEncryptionOnlyInTheLocalHeader_IsRejected()
    {
        var zip = ZipForge.Create(("a.csv", Csv));
        zip.SetU16(zip.Local(0) + 6, 0x0040);
        (await harness.RejectAsync(zip.Bytes)).ShouldContain("is encrypted");
    }

    [Fact]
    public async Task MultiVolumeArchive_IsRejected()
    {
        var zip = ZipForge.Create(("a.csv", Csv));
        zip.SetU16(zip.EndRecord + 4, 1);
        (await harness.RejectAsync(zip.Bytes)).ShouldBe("The ZIP archive spans several volumes (a split archive); upload a single ZIP file.");
    }

    [Fact]
    public async Task SplitArchiveMarker_IsRejected()
    {
        byte[] bytes = [(byte)'P', (byte)'K', 7, 8, .. ZipForge.Create(("a.csv", Csv)).Bytes];
        (await harness.RejectAsync(bytes)).ShouldContain("split (multi-volume) ZIP archive");
    }

    [Theory]
    [InlineData("../evil.csv", "leads outside its folder")]
    [InlineData("a/../../e.csv", "leads outside its folder")]
    [InlineData("/etc/evil.csv", "is an absolute path")]
    [InlineData("C:evil.csv", "starts with a drive letter")]
    [InlineData("\\\\srv\\evil.csv", "is a network (UNC) path")]
    [InlineData("dir\\evil.csv", "contains a backslash")]
    [InlineData("evil\r\n.csv", "contains control characters")]
    [InlineData("evil\u202Evsc.csv", "right-to-left override")]
    [InlineData("CON.csv", "reserved by Windows")]
    [InlineData("sub/nul", "reserved by Windows")]
    [InlineData("Com1.txt", "reserved by Windows")]
    public async Task HostileEntryNames_AreRejected(string name, string reason)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        var zip = ZipForge.Create((new string('n', bytes.Length), Csv)).SetName(0, bytes);
        var message = await harness.RejectAsync(zip.Bytes);
        message.ShouldStartWith("ZIP entry 1 (");
        message.ShouldContain(reason);
        message.ShouldNotContain("\r");
        message.ShouldNotContain("\u202E");
    }

    [Fact]
    public async Task VeryLongEntryName_IsRejected()
    {
        var zip = ZipForge.Create((new string('a', 300) + ".csv", Csv));
        (await harness.RejectAsync(zip.Bytes)).ShouldContain("is longer than 255 characters");
    }

    [Fact]
    public async Task SymlinkEntry_IsRejected()
    {
        var zip = ZipForge.Create(("a.csv", Csv), ("link.csv", "/etc/passwd"));
        zip.SetU16(zip.Central(1) + 4, 0x031E).SetU32(zip.Central(1) + 38, 0xA1FFu << 16);
        (await harness.RejectAsync(zip.Bytes)).ShouldBe("The ZIP entry \"link.csv\" is a symbolic link; archives may hold only plain files.");
    }

    [Fact]
    public async Task CollidingNames_AreRejected()
    {
        var zip = ZipForge.Create(("Data.csv", Csv), ("data.CSV", Csv));
        (await harness.RejectAsync(zip.Bytes)).ShouldBe("The ZIP archive has two entries with the same name (ignoring letter case): \"Data.csv\" and \"data.CSV\".");
    }

    [Fact]
    public async Task TooManyEntries_AreRejectedBeforeReadingThem()
    {
        harness.Options.MaxArchiveEntries = 3;
        var zip = ZipForge.Create([.. Enumerable.Range(1, 4).Select(i => ($"p{i}.csv", Csv))]);
        (await harness.RejectAsync(zip.Bytes)).ShouldBe("The ZIP archive has 4 entries; at most 3 are accepted.");
    }

    [Fact]
    public async Task EntryHoldingMoreThanDeclared_IsStoppedAtTheDeclaredSize()
    {
        var zip = ZipForge.Create(("a.csv", Csv + string.Concat(Enumerable.Repeat("3,z\n", 10_000))));
        zip.SetDeclaredSize(0, 20);
        (await harness.RejectAsync(zip.Bytes)).ShouldBe("The ZIP entry \"a.csv\" holds more data than the 20 bytes it declares; the archive is forged.");
    }

    [Fact]
    public async Task EntryHoldingLessThanDeclared_IsRejected()
    {
        var zip = ZipForge.Create(("a.csv", Csv));
        zip.SetDeclaredSize(0, (uint)Csv.Length + 7);
        (await harness.RejectAsync(zip.Bytes)).ShouldBe($"The ZIP entry \"a.csv\" declares {Csv.Length + 7} bytes but holds {Csv.Length}; the archive is damaged or forged.");
    }

    [Fact]
    public async Task ZipBomb_ByCompressionRatio_IsRejected()
    {
        var zip = ZipForge.Create(("bomb.csv", "n\n" + string.Concat(Enumerable.Repeat("0\n", 2_000_000))));
        (await harness.RejectAsync(zip.Bytes)).ShouldContain("more than 200:1; this looks like a zip bomb");
    }

    [Fact]
    public async Task ZipBomb_LyingAboutItsSizes_IsStoppedByTheRealByteCount()
    {
        // Declares 10 bytes per entry (passes every declared check) but each entry inflates far more.
        var big = "n\n" + string.Concat(Enumerable.Repeat("0\n", 500_000));
        var zip = ZipForge.Create(("a.csv", big), ("b.csv", big));
        zip.SetDeclaredSize(0, 10).SetDeclaredSize(1, 10);
        (await harness.RejectAsync(zip.Bytes)).ShouldContain("holds more data than the 10 bytes it declares");
    }

    [Fact]
    public async Task TotalDecompressedLimit_IsEnforced()
    {
        harness.Options.MaxDecompressedBytes = 20;
        var zip = ZipForge.Create(("a.csv", Csv), ("b.csv", Csv));
        (await harness.RejectAsync(zip.Bytes)).ShouldBe("The ZIP archive would decompress to more than 20 bytes; upload the data in smaller archives.");
    }

    [Fact]
    public async Task OverlappingEntries_AreRejected()
    {
        var zip = ZipForge.Create(("a.csv", Csv), ("b.csv", Csv));
        zip.SetU32(zip.Central(1) + 42, (uint)zip.Local(0));
        (await harness.RejectAsync(zip.Bytes)).ShouldBe("The ZIP entries \"a.csv\" and \"b.csv\" overlap; this looks like a zip bomb.");
    }

    [Fact]
    public async Task UnsupportedCompressionMethod_IsRejected()
    {
        var zip = ZipForge.Create(("a.csv", Csv));
        zip.SetU16(zip.Central(0) + 10, 12);
        (await harness.RejectAsync(zip.Bytes)).ShouldContain("uses compression method 12; only stored and deflate");
    }

    [Fact]
    public async Task EntriesWithDifferentColumns_AreRejected()
    {
        var zip = ZipForge.Create(("a.csv", Csv), ("b.csv", "k,w\n3,z\n"));
        (await harness.RejectAsync(zip.Bytes)).ShouldBe(
            "ZIP entry \"b.csv\" has the columns (k, w) but \"a.csv\" has (k, v); every file in the archive needs the same columns in the same order.");
    }

    [Fact]
    public async Task EntryThatIsNotATable_IsRejectedWithItsName()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[50]];
        var zip = ZipForge.Create(("a.csv", Encoding.UTF8.GetBytes(Csv)), ("img.png", png));
        (await harness.RejectAsync(zip.Bytes)).ShouldStartWith("ZIP entry \"img.png\": the file looks like a PNG image");
    }

    [Fact]
    public async Task RaggedRowInAnEntry_NamesTheEntryAndLine()
    {
        var zip = ZipForge.Create(("a.csv", Csv), ("b.csv", "k,v\n3\n"));
        (await harness.RejectAsync(zip.Bytes)).ShouldBe("ZIP entry \"b.csv\": line 2 has 1 columns but the header has 2; every row needs the same number of columns.");
    }

    [Fact]
    public async Task OfficeDocument_IsNamed()
    {
        var zip = ZipForge.Create(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>"));
        (await harness.RejectAsync(zip.Bytes)).ShouldContain("is an Office document (such as an Excel workbook), not a table; export the sheet as CSV");
    }

    [Fact]
    public async Task ArchiveOfOnlyFolders_IsRejected()
    {
        var zip = ZipForge.Create(("empty/", string.Empty));
        (await harness.RejectAsync(zip.Bytes)).ShouldBe("The ZIP archive holds no data files.");
    }

    [Fact]
    public async Task ZipOfParquetAndCsv_IsOneTable_AndTheParquetCopyIsRemoved()
    {
        var parquet = await InspectorRejectionTests.SmallParquetAsync();
        var zip = ZipForge.Create(("a.parquet", parquet), ("b.csv", Encoding.UTF8.GetBytes("a,b\n3,z\n")), ("__MACOSX/._b.csv", [0, 5, 22, 7]));
        var (profile, form) = await harness.InspectAsync(zip.Bytes);
        profile.RowCount.ShouldBe(3);
        profile.ArchiveEntries.ShouldBe(["a.parquet", "b.csv"]);
        profile.Schema.ShouldBe([new ColumnSchema("a", ColumnType.WholeNumber), new ColumnSchema("b", ColumnType.Text)]);
        (await IngestHarness.ReadTrainingFormAsync(form))[1].Values.ShouldBe(["x", "y", "z"]);
    }
}
