using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Seeding;

/// <summary>A demo account the Development seed creates.</summary>
public sealed record DemoAccount(string Email, string DisplayName, IReadOnlyList<string> Roles);

/// <summary>
/// Development data: categories, tags and demo accounts with confirmed emails. Idempotent: every item is looked up by
/// its natural key (slug, email) and only created when missing, so running it at every start changes nothing twice.
/// </summary>
public sealed class DevelopmentSeeder(IServiceScopeFactory scopes, ILogger<DevelopmentSeeder> logger)
{
    /// <summary>The password of every demo account (passes the password rules; Development only).</summary>
    public const string DemoPassword = "Demo-Passw0rd!";

    public static readonly IReadOnlyList<DemoAccount> DemoAccounts =
    [
        new("moderator@neurodata.local", "Demo Moderator", [RoleNames.Moderator]),
        new("arbitrator@neurodata.local", "Demo Arbitrator", [RoleNames.Arbitrator]),
        new("seller@neurodata.local", "Demo Seller", []),
        new("buyer@neurodata.local", "Demo Buyer", []),
    ];

    /// <summary>Top-level categories (slug, name, description) and their children.</summary>
    public static readonly IReadOnlyList<(string Slug, string Name, string Description, string[] Children)> Categories =
    [
        ("finance", "Finance", "Prices, transactions, economic indicators.", ["stock-markets", "crypto-markets"]),
        ("healthcare", "Healthcare", "Anonymised clinical and health data.", ["medical-imaging"]),
        ("climate", "Climate & Weather", "Weather observations, climate series, air quality.", []),
        ("text-nlp", "Text & NLP", "Corpora, labelled text, sentiment.", []),
        ("computer-vision", "Computer Vision", "Labelled images and video frames.", []),
        ("iot-sensors", "IoT & Sensors", "Telemetry from devices and machines.", []),
        ("geospatial", "Geospatial", "Maps, coordinates, mobility.", []),
        ("retail", "Retail & E-commerce", "Sales, baskets, product catalogues.", []),
    ];

    public static readonly IReadOnlyList<string> ChildNames = ["Stock Markets", "Crypto Markets", "Medical Imaging"];

    public static readonly IReadOnlyList<string> Tags =
    [
        "time-series", "tabular", "classification", "regression", "clustering", "labelled", "weather", "nlp",
        "sentiment", "images", "finance", "health", "open-data", "synthetic",
    ];

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        await SeedCatalogAsync(cancellationToken);
        await SeedAccountsAsync(cancellationToken);
    }

    private async Task SeedCatalogAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NeuroDataDbContext>();
        var existing = await db.Categories.Select(c => new { c.Slug, c.Id }).ToDictionaryAsync(c => c.Slug, c => c.Id, cancellationToken);
        var added = 0;
        var childIndex = 0;
        foreach (var (slug, name, description, children) in Categories)
        {
            if (!existing.TryGetValue(slug, out var parentId))
            {
                var parent = new Category(name, slug, description, null);
                db.Categories.Add(parent);
                parentId = parent.Id;
                added++;
            }

            foreach (var childSlug in children)
            {
                var childName = ChildNames[childIndex++];
                if (!existing.ContainsKey(childSlug))
                {
                    db.Categories.Add(new Category(childName, childSlug, null, parentId));
                    added++;
                }
            }
        }

        var tagSlugs = await db.Tags.Select(t => t.Slug).ToListAsync(cancellationToken);
        foreach (var tag in Tags.Where(t => !tagSlugs.Contains(t)))
        {
            db.Tags.Add(new Tag(tag));
            added++;
        }

        if (added > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Seeded {Count} categories and tags", added);
        }
    }

    private async Task SeedAccountsAsync(CancellationToken cancellationToken)
    {
        foreach (var demo in DemoAccounts)
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            if (await users.FindByEmailAsync(demo.Email) is not null)
            {
                continue;
            }

            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var result = await accounts.CreateAccountAsync(demo.Email, DemoPassword, emailConfirmed: true, demo.Roles, RequestInfo.None, cancellationToken);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Could not seed {demo.Email}: {string.Join(" ", result.Errors)}");
            }

            var updated = await accounts.UpdateProfileAsync(result.User!, demo.DisplayName, null, RequestInfo.None, cancellationToken);
            if (!updated.Succeeded)
            {
                throw new InvalidOperationException($"Could not seed the profile of {demo.Email}: {string.Join(" ", updated.Errors)}");
            }

            logger.LogInformation("Demo account {Email} created (password {Password})", demo.Email, DemoPassword);
        }
    }
}
