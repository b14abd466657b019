using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using static NeuroData.Tests.Unit.Domain.DomainBuilders;

namespace NeuroData.Tests.Unit.Domain.Datasets;

public sealed class DatasetVersionTests
{
    private static DatasetVersion Processing() => Draft().AddVersion(CidA, 100, DatasetFormat.Csv, Sha256, [1, 2], T0);

    [Theory]
    [InlineData(0, Sha256, "An empty file cannot be a dataset version.")]
    [InlineData(-5, Sha256, "An empty file cannot be a dataset version.")]
    [InlineData(10, "abc", "SHA-256 digest (64 hexadecimal digits)")]
    [InlineData(10, "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a44", "64 hexadecimal digits")] // 63
    [InlineData(10, "z948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447", "64 hexadecimal digits")]
    public void AddVersion_WithBadFileFacts_IsRejected_AndAddsNothing(long size, string sha, string expected)
    {
        var d = Draft();

        Should.Throw<DomainException>(() => d.AddVersion(CidA, size, DatasetFormat.Csv, sha, [1], T0)).Message.ShouldContain(expected);
        d.Versions.ShouldBeEmpty();
    }

    [Fact]
    public void AddVersion_WithoutAWrappedKey_IsRejected()
    {
        var d = Draft();

        Should.Throw<DomainException>(() => d.AddVersion(CidA, 10, DatasetFormat.Csv, Sha256, [], T0)).Message.ShouldContain("wrapped encryption key");
        Should.Throw<DomainException>(() => d.AddVersion(CidA, 10, DatasetFormat.Csv, Sha256, null!, T0));
        Should.Throw<ArgumentNullException>(() => d.AddVersion(null!, 10, DatasetFormat.Csv, Sha256, [1], T0));
        d.Versions.ShouldBeEmpty();
    }

    [Fact]
    public void MarkReady_RecordsTheProfile()
    {
        var v = Processing();

        v.MarkReady("{\"cols\":[]}", "{\"stats\":[]}", 42);

        v.Status.ShouldBe(DatasetVersionStatus.Ready);
        v.SchemaJson.ShouldBe("{\"cols\":[]}");
        v.ProfileJson.ShouldBe("{\"stats\":[]}");
        v.RowCount.ShouldBe(42);
    }

    [Fact]
    public void MarkReady_WithNegativeRows_IsRejected_AndStaysProcessing()
    {
        var v = Processing();

        Should.Throw<DomainException>(() => v.MarkReady(null, null, -1)).Message.ShouldBe("A row count cannot be negative.");
        v.Status.ShouldBe(DatasetVersionStatus.Processing);
        v.RowCount.ShouldBeNull();
    }

    [Fact]
    public void MarkFailed_RecordsTheReason()
    {
        var v = Processing();

        v.MarkFailed("  Not valid UTF-8 at byte 12  ");

        v.Status.ShouldBe(DatasetVersionStatus.Failed);
        v.FailureReason.ShouldBe("Not valid UTF-8 at byte 12");
    }

    [Fact]
    public void MarkFailed_WithoutReason_IsRejected()
    {
        var v = Processing();

        Should.Throw<DomainException>(() => v.MarkFailed(" ")).Message.ShouldBe("A failure reason is required.");
        v.Status.ShouldBe(DatasetVersionStatus.Processing);
    }

    [Fact]
    public void Withdraw_OnlyFromReady()
    {
        var v = Processing();
        Should.Throw<DomainException>(v.Withdraw).Message.ShouldBe("Only a ready version can be withdrawn; version 1 is Processing.");

        v.MarkReady(null, null, null);
        v.Withdraw();
        v.Status.ShouldBe(DatasetVersionStatus.Withdrawn);

        Should.Throw<DomainException>(v.Withdraw).Message.ShouldContain("is Withdrawn");
    }

    public static readonly TheoryData<string, Func<DatasetVersion>> Settled = new()
    {
        { "Ready", () => { var v = Processing(); v.MarkReady(null, null, 1); return v; } },
        { "Failed", () => { var v = Processing(); v.MarkFailed("x"); return v; } },
        { "Withdrawn", () => { var v = Processing(); v.MarkReady(null, null, 1); v.Withdraw(); return v; } },
    };

    [Theory]
    [MemberData(nameof(Settled))]
    public void MarkReadyOrFailed_OnceSettled_IsRejected(string state, Func<DatasetVersion> make)
    {
        var v = make();

        Should.Throw<DomainException>(() => v.MarkReady(null, null, 1)).Message.ShouldBe($"Version 1 is {state} and cannot be marked ready.");
        Should.Throw<DomainException>(() => v.MarkFailed("x")).Message.ShouldBe($"Version 1 is {state} and cannot be marked failed.");
        v.Status.ToString().ShouldBe(state);
    }
}
