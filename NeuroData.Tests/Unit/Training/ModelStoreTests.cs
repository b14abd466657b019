using NeuroData.Infrastructure.Training.Runs;

namespace NeuroData.Tests.Unit.Training;

public sealed class ModelStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nd-models-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void Import_moves_the_file_under_the_user_and_model_and_resolves_it_back()
    {
        var store = new ModelStore(_root);
        var source = Path.GetTempFileName();
        File.WriteAllBytes(source, [1, 2, 3]);
        var user = Guid.NewGuid();
        var model = Guid.NewGuid();

        var relative = store.Import(user, model, source);

        File.Exists(source).ShouldBeFalse("the temp file is moved, not copied");
        relative.ShouldBe(Path.Combine(user.ToString("N"), model.ToString("N") + ".zip"));
        File.ReadAllBytes(store.FullPath(relative)).ShouldBe(new byte[] { 1, 2, 3 });
        store.Delete(relative);
        File.Exists(store.FullPath(relative)).ShouldBeFalse();
    }

    [Theory]
    [InlineData("../outside.zip")]
    [InlineData("/etc/passwd")]
    public void Paths_that_leave_the_store_are_refused(string relative)
    {
        Should.Throw<InvalidOperationException>(() => new ModelStore(_root).FullPath(relative)).Message.ShouldContain("inside the model store");
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
