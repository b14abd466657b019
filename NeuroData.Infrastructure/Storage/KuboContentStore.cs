using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using NeuroData.Domain.Common;

namespace NeuroData.Infrastructure.Storage;

/// <summary>
/// A Kubo (go-ipfs) node through its RPC API (typed HttpClient, base address <c>NeuroData:Storage:KuboApiUrl</c>):
/// <c>POST /api/v0/add</c> (multipart, CIDv0, pinned), <c>/api/v0/cat</c>, <c>/api/v0/pin/add</c>, <c>/api/v0/pin/rm</c>.
/// The content is streamed (chunked upload); the CID Kubo answers must equal the one computed here in the same pass.
/// </summary>
public sealed class KuboContentStore(HttpClient http) : IPinningContentStore
{
    public Task<Cid> AddAsync(Stream content, CancellationToken cancellationToken = default) => AddAsync(content, pin: false, cancellationToken);

    public async Task<Cid> AddAsync(Stream content, bool pin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var builder = new UnixFsBuilder();
        await using var tee = new ObservedReadStream(content, builder.Append);
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(tee, 256 * 1024);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "data");
        var url = "api/v0/add?cid-version=0&raw-leaves=false&chunker=size-262144&progress=false&quieter=true&pin=" + (pin ? "true" : "false");
        using var response = await http.PostAsync(url, form, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        ThrowIfFailed(response, body, "add");

        var expected = builder.Complete();
        var answered = ParseAddAnswer(body);
        if (!string.Equals(answered, expected.Value, StringComparison.Ordinal))
        {
            if (pin && Cid.TryParse(answered, out var wrong, out _))
            {
                await UnpinAsync(wrong, cancellationToken);
            }

            throw new InvalidDataException($"Kubo stored the content as {answered}, but its CID is {expected}: the node does not use 'ipfs add' defaults.");
        }

        return expected;
    }

    public Task<Stream> OpenReadAsync(Cid cid, CancellationToken cancellationToken = default) => OpenReadAsync(cid, 0, cancellationToken);

    public async Task<Stream> OpenReadAsync(Cid cid, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        var url = $"api/v0/cat?arg={Uri.EscapeDataString(cid.Value)}" + (offset > 0 ? "&offset=" + offset.ToString(CultureInfo.InvariantCulture) : string.Empty);
        var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, url), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            if (body.Contains("not found", StringComparison.OrdinalIgnoreCase) || response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new FileNotFoundException($"Content {cid} is not on the Kubo node.");
            }

            ThrowIfFailed(response, body, "cat");
        }

        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    public async Task<bool> ContainsAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        using var response = await http.PostAsync($"api/v0/block/stat?arg={Uri.EscapeDataString(cid.Value)}&offline=true", null, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    public async Task PinAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        using var response = await http.PostAsync($"api/v0/pin/add?arg={Uri.EscapeDataString(cid.Value)}", null, cancellationToken);
        ThrowIfFailed(response, await response.Content.ReadAsStringAsync(cancellationToken), "pin/add");
    }

    public async Task UnpinAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        using var response = await http.PostAsync($"api/v0/pin/rm?arg={Uri.EscapeDataString(cid.Value)}", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode && body.Contains("not pinned", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        ThrowIfFailed(response, body, "pin/rm");
    }

    private static void ThrowIfFailed(HttpResponseMessage response, string body, string call)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var message = body;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("Message", out var m))
            {
                message = m.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
        }

        throw new IOException($"Kubo {call} failed ({(int)response.StatusCode}): {message}");
    }

    /// <summary>The "Hash" of the last JSON object of the add answer (one object per line).</summary>
    private static string ParseAddAnswer(string body)
    {
        string? hash = null;
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.TryGetProperty("Hash", out var h))
            {
                hash = h.GetString();
            }
        }

        return hash ?? throw new IOException("Kubo add answered without a Hash.");
    }

    /// <summary>Disposes the response with the stream.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>A read-only stream that shows every byte read from <paramref name="inner"/> to <paramref name="observe"/>.</summary>
public sealed class ObservedReadStream(Stream inner, Action<ReadOnlySpan<byte>> observe) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        observe(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        observe(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
