using System.Runtime.CompilerServices;
using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Ops;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Hdfs.Journal;

/// <summary>
/// Tails a NameNode's edit log segment by segment, finalized and in progress, and gives the edits of the ops that
/// change a path (<see cref="PathEdits"/>), in txid order: what a <c>Kind: hdfs</c> namespace answers to
/// <c>EditsSinceAsync</c>, so the router's version service follows HDFS as it follows a local namespace. A segment
/// that ends with OP_END_LOG_SEGMENT at txid E is followed by the segment starting at E + 1; an in-progress segment
/// is fetched again every <see cref="PollInterval"/> and read on from the last whole op (an op that does not check
/// out at its end is taken as still being written and read again then).
/// </summary>
internal sealed class JournalEditsTail(IEditSegmentSource source, TimeProvider time, long firstSegmentTxId = 1)
{
    /// <summary>How long to wait before fetching an in-progress segment again, or a segment that is not there yet.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The last txid read (of any op, path-changing or not).</summary>
    public long LastTxId { get; private set; }

    /// <summary>
    /// A task that completes when the journal is known to hold more (a sync learned a newer txid): a poll waits for it
    /// or for <see cref="PollInterval"/>, whichever comes first. Asked before each fetch, so a wake-up after a fetch
    /// started is never missed.
    /// </summary>
    public Func<Task>? Wakeup { get; set; }

    /// <summary>Told <see cref="LastTxId"/> after each fetch: every edit of an op up to it has been given out.</summary>
    public Action<long>? ReadThrough { get; set; }

    /// <summary>
    /// The edits after txid <paramref name="after"/>. Without <paramref name="follow"/> it ends where the segments
    /// written so far end; with it, it waits for more until cancelled. Bad data throws <see cref="EditLogFormatException"/>.
    /// </summary>
    public async IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var segmentStart = await StartOfSegmentAfterAsync(after.Value, cancellationToken).ConfigureAwait(false);
        var position = EditLogDecoder.HeaderLength;
        LastTxId = after.Value;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var woken = Wakeup?.Invoke();
            var segment = await source.FetchAsync(segmentStart, cancellationToken).ConfigureAwait(false);
            long? endedAt = null;
            if (segment is not null && EditLogDecoder.TryReadHeader(segment.Bytes.Span, out _))
            {
                var decoder = new EditLogDecoder(segment.Bytes, Math.Min(position, segment.Bytes.Length));
                var ops = new List<EditLogOp>();
                try
                {
                    while (decoder.TryRead(out var op) == EditLogReadStatus.Op)
                    {
                        ops.Add(op!);
                        if (op!.OpCode == EditLogOpCode.OP_END_LOG_SEGMENT)
                        {
                            endedAt = op.TxId;
                            break;
                        }
                    }
                }
                catch (EditLogFormatException) when (segment.InProgress && follow)
                {
                    // an op being written as the segment was read (its bytes not all there yet): read it again at the next poll
                }

                position = decoder.Position;
                foreach (var op in ops)
                {
                    if (op.TxId <= LastTxId)
                    {
                        continue;
                    }

                    foreach (var edit in PathEdits.Of(op))
                    {
                        yield return edit;
                    }

                    LastTxId = op.TxId;
                }

                ReadThrough?.Invoke(LastTxId);
            }

            if (endedAt is { } end)
            {
                segmentStart = end + 1;
                position = EditLogDecoder.HeaderLength;
                continue;
            }

            if (!follow)
            {
                yield break;
            }

            var poll = Task.Delay(PollInterval, time, cancellationToken);
            await (woken is null ? poll : Task.WhenAny(poll, woken).Unwrap()).ConfigureAwait(false);
        }
    }

    // the segment to read first: the one starting right after `after` (the usual resume point, at a segment's
    // end), the one the source lists as holding after + 1, or the first segment, read from its start
    private async Task<long> StartOfSegmentAfterAsync(long after, CancellationToken cancellationToken)
    {
        if (after < firstSegmentTxId)
        {
            return firstSegmentTxId;
        }

        if (await source.FindSegmentStartAsync(after + 1, cancellationToken).ConfigureAwait(false) is { } listed)
        {
            return listed;
        }

        return await source.FetchAsync(after + 1, cancellationToken).ConfigureAwait(false) is not null ? after + 1 : firstSegmentTxId;
    }
}
