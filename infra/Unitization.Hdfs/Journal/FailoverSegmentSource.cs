using System.Net;

namespace Unitization.Hdfs.Journal;

/// <summary>
/// Several JournalNodes of one quorum journal, asked in order: a node that fails (connection refused, an HTTP error)
/// or lacks the segment (it may lag the quorum) is passed over for the next; the last failure is thrown when none has it.
/// The last written txid is asked of all of them at once and is the highest that a majority tells: the NameNode
/// answers a write once a majority has flushed it, and every majority holds one of those.
/// </summary>
internal sealed class FailoverSegmentSource(IReadOnlyList<IEditSegmentSource> nodes) : IEditSegmentSource
{
    public async Task<EditSegment?> FetchAsync(long firstTxId, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        foreach (var node in nodes)
        {
            try
            {
                if (await node.FetchAsync(firstTxId, cancellationToken).ConfigureAwait(false) is { } segment)
                {
                    return segment;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                failure = ex;
            }
        }

        return failure is null ? null : throw new HttpRequestException($"No JournalNode answered for the segment starting at txid {firstTxId}: {failure.Message}", failure, HttpStatusCode.ServiceUnavailable);
    }

    public async Task<long?> FindSegmentStartAsync(long txId, CancellationToken cancellationToken)
    {
        foreach (var node in nodes)
        {
            try
            {
                if (await node.FindSegmentStartAsync(txId, cancellationToken).ConfigureAwait(false) is { } start)
                {
                    return start;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // the next node may list it; without any listing the tail reads from the first segment
            }
        }

        return null;
    }

    public async Task<long?> LastWrittenTxIdAsync(CancellationToken cancellationToken)
    {
        var asked = nodes.Select(async node =>
        {
            try
            {
                return await node.LastWrittenTxIdAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or System.Text.Json.JsonException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return null;
            }
        }).ToArray();
        var told = (await Task.WhenAll(asked).ConfigureAwait(false)).Where(t => t is not null).ToArray();
        var majority = (nodes.Count / 2) + 1;
        return told.Length >= majority ? told.Max()
            : throw new IOException($"Only {told.Length} of {nodes.Count} JournalNodes told their last written txid; a majority ({majority}) is needed to know every write the NameNode answered.");
    }
}
