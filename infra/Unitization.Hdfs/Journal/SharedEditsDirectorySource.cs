using Unitization.Hdfs.EditLog;

namespace Unitization.Hdfs.Journal;

/// <summary>
/// Segments in a directory of segment files: a JournalNode's <c>&lt;journal dir&gt;/&lt;jid&gt;/current</c>, or the
/// shared edits directory of NFS-based HA (<c>dfs.namenode.shared.edits.dir=file://...</c>). The NameNode flushes an
/// op to the directory before it answers the write, so the last whole op of the newest segment is the last written txid.
/// </summary>
internal sealed class SharedEditsDirectorySource(string directory) : IEditSegmentSource
{
    public async Task<EditSegment?> FetchAsync(long firstTxId, CancellationToken cancellationToken)
    {
        foreach (var (path, first, last) in Segments())
        {
            if (first != firstTxId)
            {
                continue;
            }

            try
            {
                var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
                return new EditSegment(first, last is null, bytes);
            }
            catch (FileNotFoundException)
            {
                // finalized (renamed) between the listing and the read: list again
                return await FetchAsync(firstTxId, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    public Task<long?> FindSegmentStartAsync(long txId, CancellationToken cancellationToken)
    {
        long? start = null;
        foreach (var (_, first, last) in Segments())
        {
            if (first <= txId && (last is null || txId <= last) && (start is null || first > start))
            {
                start = first;
            }
        }

        return Task.FromResult(start);
    }

    public async Task<long?> LastWrittenTxIdAsync(CancellationToken cancellationToken)
    {
        var newest = Segments().OrderByDescending(s => s.First).Select(s => ((long First, long? Last)?)(s.First, s.Last)).FirstOrDefault();
        if (newest is not { } segmentName)
        {
            return null;
        }

        if (segmentName.Last is { } finalized)
        {
            return finalized;
        }

        long? written = segmentName.First - 1;
        var segment = await FetchAsync(segmentName.First, cancellationToken).ConfigureAwait(false);
        if (segment is not null && EditLogDecoder.TryReadHeader(segment.Bytes.Span, out _))
        {
            var decoder = new EditLogDecoder(segment.Bytes, EditLogDecoder.HeaderLength);
            try
            {
                while (decoder.TryRead(out var op) == EditLogReadStatus.Op)
                {
                    written = op!.TxId;
                }
            }
            catch (EditLogFormatException) when (segment.InProgress)
            {
                // an op still being written: it has not been answered yet
            }
        }

        return written;
    }

    private IEnumerable<(string Path, long First, long? Last)> Segments()
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The edits directory {directory} does not exist.");
        }

        foreach (var path in Directory.EnumerateFiles(directory, "edits_*"))
        {
            if (SegmentFileName.TryParse(Path.GetFileName(path), out var first, out var last))
            {
                yield return (path, first, last);
            }
        }
    }
}
