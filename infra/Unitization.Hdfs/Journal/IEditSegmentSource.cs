namespace Unitization.Hdfs.Journal;

/// <summary>Where a NameNode's edit log segments are read from: a JournalNode over HTTP, or a shared edits directory.</summary>
internal interface IEditSegmentSource
{
    /// <summary>
    /// The segment that starts at <paramref name="firstTxId"/>, finalized or in progress, as it is now; null when
    /// there is none (not yet written, or purged).
    /// </summary>
    Task<EditSegment?> FetchAsync(long firstTxId, CancellationToken cancellationToken);

    /// <summary>The first txid of the segment holding <paramref name="txId"/>, when the source can list its segments; else null.</summary>
    Task<long?> FindSegmentStartAsync(long txId, CancellationToken cancellationToken);

    /// <summary>
    /// The last txid written to the journal by now, as the source knows it (a JournalNode's <c>LastWrittenTxId</c>
    /// metric, the end of a directory's newest segment); null when it cannot say (a JournalNode that has written
    /// nothing since it started). A write the NameNode has answered is at or below it.
    /// </summary>
    Task<long?> LastWrittenTxIdAsync(CancellationToken cancellationToken);
}
