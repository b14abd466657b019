using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Web;

namespace NeuroData.Tests.Integration.Commerce;

/// <summary>
/// IDOR over HTTP, through the real app: every id in the commerce URLs and APIs (the escrow page's escrow id, the
/// arbitration case's escrow id, the evidence API's escrow id and CID) is tried by the parties, an arbitrator, a
/// stranger, a party of another escrow and an anonymous visitor. Only the buyer, the seller, arbitrators and admins see
/// an escrow and its evidence; an arbitration case is for arbitrators who are not a party; evidence is reachable only
/// through the escrow it belongs to.
/// </summary>
public sealed class CommerceAccessTests(SignedInWebFactory factory) : IClassFixture<SignedInWebFactory>
{
    private const string Reason = "Seventeen columns are empty in every row (distinct reason text).";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Escrows_cases_and_evidence_are_reachable_only_by_those_entitled_through_their_own_ids()
    {
        var s = await SeedAsync();
        var evidenceUrl = $"/api/v1/escrows/{s.Disputed}/evidence/{s.Evidence}";

        // The escrow page.
        foreach (var (user, roles) in new[] { (s.Buyer, Array.Empty<string>()), (s.Seller, []), (s.Arbitrator, [RoleNames.Arbitrator]), (s.Admin, [RoleNames.Admin]) })
        {
            using var ok = await GetAsync($"/escrows/{s.Disputed}", user, roles);
            ok.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await ok.Content.ReadAsStringAsync(Ct)).ShouldContain(Reason);
        }

        foreach (var (user, why) in new[] { (s.Stranger, "a stranger"), (s.OtherBuyer, "the buyer of another escrow") })
        {
            using var denied = await GetAsync($"/escrows/{s.Disputed}", user, []);
            denied.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{why} gets a 404 for the escrow page");
            (await denied.Content.ReadAsStringAsync(Ct)).ShouldNotContain(Reason);
        }

        using (var own = await GetAsync($"/escrows/{s.Other}", s.OtherBuyer, []))
        {
            own.StatusCode.ShouldBe(HttpStatusCode.OK, "the other buyer sees their own escrow");
        }

        using (var buyerOnOther = await GetAsync($"/escrows/{s.Other}", s.Buyer, []))
        {
            buyerOnOther.StatusCode.ShouldBe(HttpStatusCode.NotFound, "the buyer of one escrow cannot open another by changing the id");
        }

        using (var missing = await GetAsync($"/escrows/{s.Disputed + 1000}", s.Admin, [RoleNames.Admin]))
        {
            missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        using (var anonymous = await factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(new Uri($"/escrows/{s.Disputed}", UriKind.Relative), Ct))
        {
            anonymous.StatusCode.ShouldNotBe(HttpStatusCode.OK);
            (await anonymous.Content.ReadAsStringAsync(Ct)).ShouldNotContain(Reason);
        }

        // The arbitration case: arbitrators who are not a party; a party with the role is refused too.
        using (var arb = await GetAsync($"/arbitration/{s.Disputed}", s.Arbitrator, [RoleNames.Arbitrator]))
        {
            arb.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await arb.Content.ReadAsStringAsync(Ct)).ShouldContain(Reason);
        }

        using (var buyerCase = await GetAsync($"/arbitration/{s.Disputed}", s.Buyer, []))
        {
            buyerCase.StatusCode.ShouldNotBe(HttpStatusCode.OK, "the case page is for arbitrators");
            (await buyerCase.Content.ReadAsStringAsync(Ct)).ShouldNotContain(Reason);
        }

        using (var partyArbitrator = await GetAsync($"/arbitration/{s.Disputed}", s.Seller, [RoleNames.Arbitrator]))
        {
            partyArbitrator.StatusCode.ShouldBe(HttpStatusCode.NotFound, "an arbitrator never rules on their own sale");
            (await partyArbitrator.Content.ReadAsStringAsync(Ct)).ShouldNotContain(Reason);
        }

        using (var noCase = await GetAsync($"/arbitration/{s.Other}", s.Arbitrator, [RoleNames.Arbitrator]))
        {
            noCase.StatusCode.ShouldBe(HttpStatusCode.NotFound, "an undisputed escrow is no case");
        }

        // The evidence API.
        foreach (var (user, roles) in new[] { (s.Buyer, Array.Empty<string>()), (s.Seller, []), (s.Arbitrator, [RoleNames.Arbitrator]), (s.Admin, [RoleNames.Admin]) })
        {
            using var ok = await GetAsync(evidenceUrl, user, roles);
            ok.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await ok.Content.ReadAsStringAsync(Ct)).ShouldBe(EvidenceText);
            ok.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream", "evidence is never rendered in the app's origin");
        }

        foreach (var user in new[] { s.Stranger, s.OtherBuyer })
        {
            using var denied = await GetAsync(evidenceUrl, user, []);
            denied.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await denied.Content.ReadAsStringAsync(Ct)).ShouldNotContain(EvidenceText);
        }

        using (var throughOther = await GetAsync($"/api/v1/escrows/{s.Other}/evidence/{s.Evidence}", s.OtherBuyer, []))
        {
            throughOther.StatusCode.ShouldBe(HttpStatusCode.NotFound, "evidence of one escrow is not reachable through another escrow's id");
        }

        using (var notEvidence = await GetAsync($"/api/v1/escrows/{s.Disputed}/evidence/{s.Unrelated}", s.Buyer, []))
        {
            notEvidence.StatusCode.ShouldBe(HttpStatusCode.NotFound, "a stored file that is not evidence of this dispute is not served");
        }

        using (var garbage = await GetAsync($"/api/v1/escrows/{s.Disputed}/evidence/not-a-cid", s.Buyer, []))
        {
            garbage.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        using (var anonymous = await factory.CreateClient().GetAsync(new Uri(evidenceUrl, UriKind.Relative), Ct))
        {
            anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    private const string EvidenceText = "column 4..20: empty in all 9,000 rows\n";

    private sealed record Seeded(long Disputed, long Other, Cid Evidence, Cid Unrelated, Guid Buyer, Guid Seller, Guid Arbitrator, Guid Admin, Guid Stranger, Guid OtherBuyer);

    /// <summary>Two escrows (as the indexer and the reconcilers leave them): one disputed with evidence, one funded.</summary>
    private async Task<Seeded> SeedAsync()
    {
        var chainId = factory.Services.GetRequiredService<ChainSettings>().ChainId;
        var store = factory.Services.GetRequiredService<IContentStore>();
        var evidence = await store.AddAsync(new MemoryStream(Encoding.UTF8.GetBytes(EvidenceText)), Ct);
        var unrelated = await store.AddAsync(new MemoryStream(Encoding.UTF8.GetBytes("somebody else's file " + Guid.NewGuid())), Ct);
        var buyerWallet = RandomAddress();
        var sellerWallet = RandomAddress();
        var otherWallet = RandomAddress();
        var buyer = await SeedUserAsync("buyer", buyerWallet);
        var seller = await SeedUserAsync("seller", sellerWallet);
        var otherBuyer = await SeedUserAsync("other", otherWallet);
        var arbitrator = await SeedUserAsync("arb", null);
        var admin = await SeedUserAsync("admin", null);
        var stranger = await SeedUserAsync("stranger", null);
        var disputed = Random.Shared.NextInt64(1_000_000, 1_000_000_000);
        var other = disputed + 1;
        var now = DateTimeOffset.UtcNow;
        await using var db = await ContextAsync();
        var escrow = AddEscrow(db, chainId, disputed, buyerWallet, sellerWallet, now, disputedMode: 0);
        AddEscrow(db, chainId, other, otherWallet, sellerWallet, now, disputedMode: null);
        await db.SaveChangesAsync(Ct);
        var dispute = Dispute.FromChain(escrow, buyer, seller, Reason, TokenAmount.FromTokens(10), DisputeMode.Arbitrator, now);
        dispute.AddEvidence(evidence, buyer, "The empty columns", now);
        db.Disputes.Add(dispute);
        await db.SaveChangesAsync(Ct);
        return new Seeded(disputed, other, evidence, unrelated, buyer, seller, arbitrator, admin, stranger, otherBuyer);
    }

    private static Escrow AddEscrow(NeuroDataDbContext db, ChainId chainId, long id, EthAddress buyer, EthAddress seller, DateTimeOffset now, int? disputedMode)
    {
        var price = TokenAmount.FromTokens(120);
        var deadline = now.AddDays(1);
        db.Set<MirrorEscrow>().Add(new MirrorEscrow
        {
            ChainId = chainId,
            EscrowId = id,
            ListingId = 1,
            Buyer = buyer,
            Seller = seller,
            Amount = price,
            FeeBps = 25,
            Deadline = deadline,
            Tranches = 1,
            Released = TokenAmount.Zero,
            State = disputedMode is null ? MirrorEscrowState.Funded : MirrorEscrowState.Disputed,
            DisputeMode = disputedMode,
            DisputeBond = disputedMode is null ? null : TokenAmount.FromTokens(10),
            OpenedTx = TxHash.Parse("0x" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")),
            OpenedBlock = 10,
            UpdatedBlock = 11,
        });
        var escrow = new Escrow(chainId, id, null, buyer, seller, price, price.MultiplyBasisPoints(25), deadline, now);
        db.Escrows.Add(escrow);
        return escrow;
    }

    private async Task<HttpResponseMessage> GetAsync(string path, Guid userId, string[] roles)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(TestAuthHandler.Header, TestAuthHandler.HeaderValue(userId, $"{userId:N}@example.test", roles));
        return await client.SendAsync(request, Ct);
    }

    private async Task<NeuroDataDbContext> ContextAsync() =>
        await factory.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);

    private async Task<Guid> SeedUserAsync(string name, EthAddress? wallet)
    {
        var id = Guid.CreateVersion7();
        var userName = $"{name}-{id:N}@example.test";
        await using var db = await ContextAsync();
        db.Users.Add(new ApplicationUser
        {
            Id = id,
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            Email = userName,
            NormalizedEmail = userName.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        var profile = new UserProfile(id, name, DateTimeOffset.UtcNow);
        if (wallet is not null)
        {
            profile.LinkWallet(wallet, DateTimeOffset.UtcNow);
        }

        db.UserProfiles.Add(profile);
        await db.SaveChangesAsync(Ct);
        return id;
    }

    private static EthAddress RandomAddress() => EthAddress.Parse("0x" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8]);
}
