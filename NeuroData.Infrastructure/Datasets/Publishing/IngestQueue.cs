using System.Threading.Channels;

namespace NeuroData.Infrastructure.Datasets.Publishing;

/// <summary>Upload sessions waiting for ingest (in process; the session rows say what is queued after a restart).</summary>
public sealed class IngestQueue
{
    private readonly Channel<Guid> _channel = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public ValueTask EnqueueAsync(Guid sessionId, CancellationToken ct = default) => _channel.Writer.WriteAsync(sessionId, ct);

    public IAsyncEnumerable<Guid> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);
}
