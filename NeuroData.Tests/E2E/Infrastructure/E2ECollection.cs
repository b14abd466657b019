namespace NeuroData.Tests.E2E.Infrastructure;

/// <summary>
/// Every E2E test class joins this collection: one app process and one browser for the run, and the classes run one
/// after another (they share the app's database and mailbox).
/// </summary>
[CollectionDefinition(Name)]
public sealed class E2ECollection : ICollectionFixture<AppServerFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "E2E";
}
