using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure;

namespace NeuroData.Tests.Unit.Architecture;

/// <summary>
/// The dependency rule from ARCHITECTURE.md: the domain references nothing but the BCL, and nothing points back up
/// (Infrastructure never references Web). Checked on the compiled assemblies (what actually ships) and on the csproj
/// files (what the build is told).
/// </summary>
public sealed class DependencyRuleTests
{
    /// <summary>Infrastructure and UI families the domain must never load, directly or through another reference.</summary>
    public static readonly string[] ForbiddenInDomain =
    [
        "Microsoft.EntityFrameworkCore*",
        "Microsoft.Data.Sqlite*",
        "SQLitePCLRaw*",
        "Npgsql*",
        "Nethereum*",
        "Microsoft.ML*",
        "Quartz*",
        "Microsoft.AspNetCore*",
        "MudBlazor*",
        "Serilog*",
        "MailKit",
        "MimeKit",
        "NeuroData.Infrastructure",
        "NeuroData.Web",
    ];

    private static Assembly DomainAssembly => typeof(TokenAmount).Assembly;

    private static Assembly InfrastructureAssembly => typeof(DependencyInjection).Assembly;

    [Fact]
    public void Domain_ReferencesNoInfrastructureAssembly_EvenIndirectly()
    {
        var violations = ReferenceChecker.FindForbidden(DomainAssembly, ForbiddenInDomain);

        violations.ShouldBeEmpty($"NeuroData.Domain must reference only the BCL, but: {string.Join("; ", violations)}");
    }

    [Fact]
    public void Domain_WalksItsWholeReferenceClosure()
    {
        // Guards the checker itself: the closure must actually contain the BCL assemblies the domain uses
        // (System.Runtime for everything, System.Security.Cryptography for API key hashing), not be empty.
        var closure = ReferenceChecker.Closure(DomainAssembly).Select(c => c.Name).ToList();

        closure.ShouldContain("System.Runtime");
        closure.ShouldContain("System.Security.Cryptography");
        closure.ShouldContain("System.Runtime.Numerics");
    }

    [Fact]
    public void Checker_FlagsForbiddenReferences_OnInfrastructure()
    {
        // The same check on an assembly known to use EF Core must fail, or the domain test above proves nothing.
        var violations = ReferenceChecker.FindForbidden(InfrastructureAssembly, ForbiddenInDomain);

        violations.ShouldContain(v => v.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        violations.ShouldContain(v => v.StartsWith("NeuroData.Infrastructure", StringComparison.Ordinal), "the root itself matches a pattern");
    }

    [Fact]
    public void Checker_FlagsAForbiddenAssemblyReachedOnlyThroughAnotherReference()
    {
        // The domain is compiled against reference assemblies and never names System.Private.CoreLib; it is reached
        // through System.Runtime at run time. Treating it as forbidden proves the walk follows references of references.
        DomainAssembly.GetReferencedAssemblies().Select(a => a.Name).ShouldNotContain("System.Private.CoreLib");

        var violations = ReferenceChecker.FindForbidden(DomainAssembly, ["System.Private.CoreLib"]);

        var violation = violations.ShouldHaveSingleItem();
        violation.ShouldStartWith("System.Private.CoreLib (via NeuroData.Domain -> ");
        (violation.Split(" -> ").Length - 1).ShouldBeGreaterThanOrEqualTo(2, violation);
    }

    [Theory]
    [InlineData("Microsoft.EntityFrameworkCore*", "Microsoft.EntityFrameworkCore", true)]
    [InlineData("Microsoft.EntityFrameworkCore*", "Microsoft.EntityFrameworkCore.Sqlite", true)]
    [InlineData("MailKit", "MailKit", true)]
    [InlineData("MailKit", "MailKitExtras", false)]
    [InlineData("Microsoft.ML*", "Microsoft.Extensions.Logging", false)]
    [InlineData("Quartz*", "System.Runtime", false)]
    [InlineData("npgsql*", "Npgsql", true)]
    public void Matches_UsesPrefixWildcardsAndExactNames(string pattern, string assemblyName, bool expected)
    {
        ReferenceChecker.Matches(pattern, assemblyName).ShouldBe(expected);
    }

    [Fact]
    public void DomainProject_HasNoPackageOrProjectReference()
    {
        var project = LoadProject("NeuroData.Domain");

        project.Descendants("PackageReference").Select(e => (string?)e.Attribute("Include")).ShouldBeEmpty("the domain is BCL-only");
        project.Descendants("ProjectReference").Select(e => (string?)e.Attribute("Include")).ShouldBeEmpty("nothing below the domain");
        project.Descendants("FrameworkReference").Select(e => (string?)e.Attribute("Include")).ShouldBeEmpty("no ASP.NET shared framework");
        ((string?)project.Root!.Attribute("Sdk")).ShouldBe("Microsoft.NET.Sdk");
    }

    [Fact]
    public void InfrastructureProject_DoesNotReferenceWeb()
    {
        var project = LoadProject("NeuroData.Infrastructure");

        project.Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(((string?)e.Attribute("Include") ?? string.Empty).Replace('\\', '/')))
            .ShouldNotContain("NeuroData.Web");
        InfrastructureAssembly.GetReferencedAssemblies().Select(a => a.Name).ShouldNotContain("NeuroData.Web");
        InfrastructureAssembly.GetReferencedAssemblies().Select(a => a.Name).ShouldContain("NeuroData.Domain");
    }

    [Fact]
    public void DomainRestoreGraph_HasNoPackagesAtAll_NotEvenOnesInjectedByDirectoryBuildProps()
    {
        // The csproj check misses packages added for every project (Directory.Build.props/targets); NuGet's restore
        // result for the domain lists everything that really flows into it.
        var (packages, frameworks) = RestoredDependencies("NeuroData.Domain");

        packages.ShouldBeEmpty();
        frameworks.ShouldBe(["Microsoft.NETCore.App"]);
    }

    [Fact]
    public void RestoreGraphReader_SeesThePackagesOfInfrastructure()
    {
        var (packages, _) = RestoredDependencies("NeuroData.Infrastructure");

        packages.ShouldContain(p => p.StartsWith("Microsoft.EntityFrameworkCore/", StringComparison.Ordinal));
        packages.ShouldContain(p => p.StartsWith("Npgsql.EntityFrameworkCore.PostgreSQL/", StringComparison.Ordinal));
    }

    private static (IReadOnlyList<string> Packages, IReadOnlyList<string> Frameworks) RestoredDependencies(string project)
    {
        // obj/ next to the project, or artifacts/obj/<project>/ when the artifacts output layout is switched on.
        string[] candidates =
        [
            Path.Combine(RepoRoot(), project, "obj", "project.assets.json"),
            Path.Combine(RepoRoot(), "artifacts", "obj", project, "project.assets.json"),
        ];
        var path = candidates.FirstOrDefault(File.Exists);
        path.ShouldNotBeNull($"no project.assets.json for {project} (looked in {string.Join(", ", candidates)}); restore first");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var packages = root.GetProperty("targets").EnumerateObject()
            .SelectMany(t => t.Value.EnumerateObject())
            .Where(lib => lib.Value.GetProperty("type").GetString() == "package")
            .Select(lib => lib.Name)
            .Distinct()
            .ToList();
        var frameworks = root.GetProperty("project").GetProperty("frameworks").EnumerateObject()
            .SelectMany(f => f.Value.TryGetProperty("frameworkReferences", out var refs) ? refs.EnumerateObject().Select(r => r.Name) : [])
            .Distinct()
            .ToList();
        return (packages, frameworks);
    }

    private static XDocument LoadProject(string name)
    {
        var path = Path.Combine(RepoRoot(), name, name + ".csproj");
        File.Exists(path).ShouldBeTrue($"{path} is missing");
        return XDocument.Load(path);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeuroData.sln")))
        {
            dir = dir.Parent;
        }

        dir.ShouldNotBeNull($"NeuroData.sln not found above {AppContext.BaseDirectory}");
        return dir.FullName;
    }
}

/// <summary>Walks an assembly's references recursively and reports those matching forbidden name patterns.</summary>
internal static class ReferenceChecker
{
    /// <summary>Every assembly reachable from <paramref name="root"/> (itself included), with the path that reached it.</summary>
    public static IReadOnlyList<(string Name, string Path)> Closure(Assembly root)
    {
        var rootName = root.GetName().Name!;
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [rootName] = rootName };
        var queue = new Queue<(AssemblyName Name, Assembly? Loaded, string Path)>();
        queue.Enqueue((root.GetName(), root, rootName));
        while (queue.Count > 0)
        {
            var (_, loaded, path) = queue.Dequeue();
            if (loaded is null)
            {
                continue;
            }

            foreach (var reference in loaded.GetReferencedAssemblies())
            {
                var name = reference.Name!;
                if (seen.ContainsKey(name))
                {
                    continue;
                }

                var referencePath = path + " -> " + name;
                seen[name] = referencePath;
                queue.Enqueue((reference, TryLoad(reference), referencePath));
            }
        }

        return [.. seen.Select(kv => (kv.Key, kv.Value))];
    }

    /// <summary>"Name (path)" for each reachable assembly matching any pattern ("Prefix*" or an exact name).</summary>
    public static IReadOnlyList<string> FindForbidden(Assembly root, IEnumerable<string> patterns)
    {
        var list = patterns.ToList();
        return [.. Closure(root)
            .Where(c => list.Any(p => Matches(p, c.Name)))
            .Select(c => $"{c.Name} (via {c.Path})")];
    }

    public static bool Matches(string pattern, string assemblyName) =>
        pattern.EndsWith('*')
            ? assemblyName.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern, assemblyName, StringComparison.OrdinalIgnoreCase);

    private static Assembly? TryLoad(AssemblyName name)
    {
        try
        {
            return Assembly.Load(name);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            // Not deployed next to the tests (e.g. a design-time-only reference): its name is still checked.
            return null;
        }
    }
}
