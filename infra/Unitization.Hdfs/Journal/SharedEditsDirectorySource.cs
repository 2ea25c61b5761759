namespace Unitization.Hdfs.Journal;

/// <summary>
/// Segments in a directory of segment files: a JournalNode's <c>&lt;journal dir&gt;/&lt;jid&gt;/current</c>, or the
/// shared edits directory of NFS-based HA (<c>dfs.namenode.shared.edits.dir=file://...</c>).
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
