using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Storage;

namespace NeuroData.Tests.Integration.Storage;

/// <summary>
/// The Kubo RPC adapter against a small Kubo stand-in (no Kubo daemon can be installed here): Kestrel on loopback
/// answering <c>add</c>, <c>cat</c>, <c>pin/add</c>, <c>pin/rm</c> and <c>block/stat</c> the way Kubo does, over our
/// own <see cref="LocalBlockstore"/>.
/// </summary>
public sealed class KuboContentStoreTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private LocalBlockstore _blocks = null!;
    private WebApplication _server = null!;
    private HttpClient _http = null!;
    private KuboContentStore _kubo = null!;
    private readonly List<string> _addQueries = [];

    /// <summary>When set, the stand-in answers add with this hash instead of the real one (a misconfigured node).</summary>
    private string? _lyingHash;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _blocks = new LocalBlockstore(_folder.Path);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        MapKubo(_server);
        await _server.StartAsync(Ct);
        var address = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address + "/") };
        _kubo = new KuboContentStore(_http);
    }

    [Fact]
    public async Task Add_StreamsTheContent_AsCidV0Pinned_AndVerifiesTheAnsweredCid()
    {
        var data = RandomNumberGenerator.GetBytes((3 * UnixFsBuilder.ChunkSize) + 5);

        var cid = await _kubo.AddAsync(new MemoryStream(data), pin: true, Ct);

        cid.ShouldBe(await UnixFsBuilder.ComputeAsync(new MemoryStream(data), Ct));
        _blocks.IsPinned(cid).ShouldBeTrue();
        _addQueries.ShouldHaveSingleItem().ShouldContain("cid-version=0");
        _addQueries[0].ShouldContain("pin=true");
        (await _kubo.ContainsAsync(cid, Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task Cat_FromAnOffset_ReturnsTheBytes()
    {
        var data = RandomNumberGenerator.GetBytes((2 * UnixFsBuilder.ChunkSize) + 100);
        var cid = await _kubo.AddAsync(new MemoryStream(data), Ct);

        await using var stream = await _kubo.OpenReadAsync(cid, UnixFsBuilder.ChunkSize + 7, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);

        copy.ToArray().ShouldBe(data[(UnixFsBuilder.ChunkSize + 7)..]);
    }

    [Fact]
    public async Task Cat_OfAbsentContent_IsFileNotFound()
    {
        await Should.ThrowAsync<FileNotFoundException>(() => _kubo.OpenReadAsync(Cid.FromSha256Digest(new byte[32]), Ct));
        (await _kubo.ContainsAsync(Cid.FromSha256Digest(new byte[32]), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task PinAndUnpin_ReachTheNode_UnpinningTwiceIsHarmless()
    {
        var cid = await _kubo.AddAsync(new MemoryStream([1, 2, 3]), pin: false, Ct);
        _blocks.IsPinned(cid).ShouldBeFalse();

        await _kubo.PinAsync(cid, Ct);
        _blocks.IsPinned(cid).ShouldBeTrue();
        await _kubo.UnpinAsync(cid, Ct);
        _blocks.IsPinned(cid).ShouldBeFalse();
        await _kubo.UnpinAsync(cid, Ct);
    }

    [Fact]
    public async Task Pin_OfAbsentContent_FailsWithKubosMessage()
    {
        var ex = await Should.ThrowAsync<IOException>(() => _kubo.PinAsync(Cid.FromSha256Digest(new byte[32]), Ct));

        ex.Message.ShouldContain("pin/add");
        ex.Message.ShouldContain("not in the blockstore");
    }

    [Fact]
    public async Task Add_WhenTheNodeAnswersAnotherCid_IsRejected_AndThatCidUnpinned()
    {
        var other = await _kubo.AddAsync(new MemoryStream([9, 9, 9]), pin: true, Ct);
        _lyingHash = other.Value;

        var ex = await Should.ThrowAsync<InvalidDataException>(() => _kubo.AddAsync(new MemoryStream([1, 2, 3, 4]), pin: true, Ct));

        ex.Message.ShouldContain(other.Value);
        _blocks.IsPinned(other).ShouldBeFalse();
    }

    [Fact]
    public async Task DatasetStorage_OverKubo_RoundTripsCiphertext()
    {
        var storage = new DatasetStorage(_kubo, new PlatformKeyRing(RandomNumberGenerator.GetBytes(32)));
        var data = RandomNumberGenerator.GetBytes(700_000);

        var stored = await storage.StoreAsync(new MemoryStream(data), Ct);
        await using var stream = await storage.OpenAsync(stored.StorageCid, stored.WrappedKey, 123_456, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);

        stored.Cid.ShouldBe(await UnixFsBuilder.ComputeAsync(new MemoryStream(data), Ct));
        _blocks.IsPinned(stored.StorageCid).ShouldBeTrue();
        copy.ToArray().ShouldBe(data[123_456..]);
        await storage.RemoveAsync(stored.StorageCid, Ct);
        _blocks.IsPinned(stored.StorageCid).ShouldBeFalse();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.StopAsync(Ct);
        await _server.DisposeAsync();
        _blocks.Dispose();
        _folder.Dispose();
    }

    private void MapKubo(WebApplication app)
    {
        app.MapPost("/api/v0/add", async (HttpRequest request) =>
        {
            _addQueries.Add(request.QueryString.Value ?? string.Empty);
            var form = await request.ReadFormAsync(Ct);
            await using var file = form.Files["file"]!.OpenReadStream();
            var cid = await _blocks.AddAsync(file, pin: request.Query["pin"] == "true", Ct);
            var hash = _lyingHash ?? cid.Value;
            return Results.Text($"{{\"Name\":\"data\",\"Hash\":\"{hash}\",\"Size\":\"{form.Files["file"]!.Length}\"}}\n", "application/json");
        });
        app.MapPost("/api/v0/cat", async (HttpContext context, string arg, long? offset) =>
        {
            var cid = Cid.Parse(arg);
            if (!await _blocks.ContainsAsync(cid, Ct))
            {
                return Error("block was not found locally (offline): ipld: could not find " + arg);
            }

            var stream = await _blocks.OpenReadAsync(cid, offset ?? 0, Ct);
            return Results.Stream(stream, "text/plain");
        });
        app.MapPost("/api/v0/pin/add", async (string arg) =>
        {
            try
            {
                await _blocks.PinAsync(Cid.Parse(arg), Ct);
                return Results.Json(new { Pins = new[] { arg } });
            }
            catch (FileNotFoundException ex)
            {
                return Error(ex.Message);
            }
        });
        app.MapPost("/api/v0/pin/rm", async (string arg) =>
        {
            var cid = Cid.Parse(arg);
            if (!_blocks.IsPinned(cid))
            {
                return Error("not pinned or pinned indirectly");
            }

            await _blocks.UnpinAsync(cid, Ct);
            return Results.Json(new { Pins = new[] { arg } });
        });
        app.MapPost("/api/v0/block/stat", async (string arg) =>
            await _blocks.ContainsAsync(Cid.Parse(arg), Ct) ? Results.Json(new { Key = arg, Size = 1 }) : Error("block not found"));
    }

    private static IResult Error(string message) =>
        Results.Json(new { Message = message, Code = 0, Type = "error" }, statusCode: 500);
}
