using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;

namespace NeuroData.Tests.Unit.Domain.Common;

public sealed class GuardTests
{
    [Fact]
    public void Text_TrimsAndReturns()
    {
        Guard.Text("  hello  ", "Name", 5).ShouldBe("hello");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t\n")]
    public void Text_Missing_IsRequired(string? value)
    {
        Should.Throw<DomainException>(() => Guard.Text(value, "Name", 5)).Message.ShouldBe("Name is required.");
    }

    [Fact]
    public void Text_TooLongAfterTrimming_IsRejected_WithTheLimitAndTheLength()
    {
        Should.Throw<DomainException>(() => Guard.Text(" abcdef ", "Name", 5)).Message.ShouldBe("Name must be at most 5 characters (got 6).");
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("  ", null)]
    [InlineData(" x ", "x")]
    public void OptionalText_BlankBecomesNull(string? value, string? expected)
    {
        Guard.OptionalText(value, "Bio", 3).ShouldBe(expected);
    }

    [Fact]
    public void OptionalText_TooLong_IsRejected()
    {
        Should.Throw<DomainException>(() => Guard.OptionalText("abcd", "Bio", 3)).Message.ShouldContain("at most 3");
    }

    [Fact]
    public void Id_Empty_IsRequired()
    {
        Should.Throw<DomainException>(() => Guard.Id(Guid.Empty, "The seller")).Message.ShouldBe("The seller is required.");
        var id = Guid.NewGuid();
        Guard.Id(id, "The seller").ShouldBe(id);
    }

    [Fact]
    public void NotNegative_RejectsNegative()
    {
        Guard.NotNegative(0, "A count").ShouldBe(0);
        Should.Throw<DomainException>(() => Guard.NotNegative(-1, "A count")).Message.ShouldBe("A count cannot be negative (got -1).");
    }
}

public sealed class EntityTests
{
    [Fact]
    public void NewEntities_GetDistinctVersion7Ids()
    {
        var first = new Tag("first");
        var second = new Tag("second");

        first.Id.ShouldNotBe(Guid.Empty);
        first.Id.Version.ShouldBe(7);
        first.Id.ShouldNotBe(second.Id);
    }

    [Fact]
    public void DomainException_DefaultMessage_IsReadable()
    {
        new DomainException().Message.ShouldBe("A business rule was violated.");
        var inner = new InvalidOperationException("x");
        new DomainException("outer", inner).InnerException.ShouldBe(inner);
    }
}
