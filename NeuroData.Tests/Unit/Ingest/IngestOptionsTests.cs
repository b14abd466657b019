using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Ingest;

namespace NeuroData.Tests.Unit.Ingest;

public sealed class IngestOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        var options = new IngestOptions();
        options.Validate().ShouldBeEmpty();
        options.MaxFieldBytes.ShouldBe(1 << 20);
        options.MaxLineBytes.ShouldBe(8 << 20);
        options.MaxColumns.ShouldBe(2000);
        options.MaxArchiveEntries.ShouldBe(1000);
        options.MaxDecompressedBytes.ShouldBe(20L << 30);
        options.MaxCompressionRatio.ShouldBe(200);
    }

    [Fact]
    public void Configuration_IsBound_AndTheInspectorIsRegistered()
    {
        using var provider = Build(new() { ["NeuroData:Ingest:MaxColumns"] = "12", ["NeuroData:Ingest:MaxCompressionRatio"] = "50" });
        var options = provider.GetRequiredService<IOptions<IngestOptions>>().Value;
        options.MaxColumns.ShouldBe(12);
        options.MaxCompressionRatio.ShouldBe(50);
        provider.GetRequiredService<IDatasetInspector>().ShouldBeOfType<DatasetInspector>();
    }

    [Theory]
    [InlineData("MaxFieldBytes", "0", "MaxFieldBytes must be positive")]
    [InlineData("MaxLineBytes", "10", "MaxLineBytes (10) must be at least MaxFieldBytes")]
    [InlineData("MaxColumns", "-1", "MaxColumns must be positive")]
    [InlineData("MaxArchiveEntries", "0", "MaxArchiveEntries must be positive")]
    [InlineData("MaxDecompressedBytes", "0", "MaxDecompressedBytes must be positive")]
    [InlineData("MaxCompressionRatio", "0", "MaxCompressionRatio must be at least 1")]
    [InlineData("MaxParquetMetadataBytes", "10", "MaxParquetMetadataBytes must be at least 64")]
    public void InvalidSettings_FailWithTheirName(string key, string value, string expected)
    {
        using var provider = Build(new() { [$"NeuroData:Ingest:{key}"] = value });
        var ex = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<IngestOptions>>().Value);
        ex.Message.ShouldContain(expected);
    }

    [Fact]
    public void InspectorRefusesInvalidOptions()
    {
        Should.Throw<ArgumentException>(() => new DatasetInspector(new IngestOptions { MaxColumns = 0 }));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddDatasetIngest(configuration).BuildServiceProvider();
    }
}
