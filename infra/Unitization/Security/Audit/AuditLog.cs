using System.Threading.Channels;

namespace Unitization.Host.Security.Audit;

/// <summary>
/// The queue between the request pipeline and <see cref="AuditWriter"/>: a call is recorded after its response is
/// written, and written to the state store (and Kafka) in batches, off the request's path. The queue is bounded; when
/// it is full a request waits for room rather than dropping a record.
/// </summary>
internal sealed class AuditLog
{
    public const int Capacity = 10_000;

    private readonly Channel<AuditRecord> _queue = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    public ChannelReader<AuditRecord> Reader => _queue.Reader;

    public ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(record, cancellationToken);

    public void Complete() => _queue.Writer.TryComplete();
}
