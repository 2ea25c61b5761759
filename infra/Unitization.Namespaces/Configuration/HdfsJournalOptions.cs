namespace Unitization.Namespaces.Configuration;

/// <summary>
/// Where an <c>hdfs</c> datacenter's edit log is read from (section <c>Datacenters:N:Journal</c>): the JournalNodes of
/// its quorum journal (<c>dfs.namenode.shared.edits.dir=qjournal://jn1:8485;jn2:8485/JOURNALID</c>: give their HTTP
/// addresses, port 8480 by default, and the journal id) or a shared edits directory (NFS HA, or a JournalNode's
/// <c>&lt;dfs.journalnode.edits.dir&gt;/&lt;journal id&gt;/current</c> mounted locally).
/// </summary>
public sealed class HdfsJournalOptions
{
    /// <summary>The JournalNodes' HTTP addresses (<c>dfs.journalnode.http-address</c>), tried in order.</summary>
    public List<Uri> JournalNodes { get; set; } = [];

    /// <summary>The journal id (the nameservice's, the last part of the <c>qjournal://</c> URI).</summary>
    public string? JournalId { get; set; }

    /// <summary>Instead of JournalNodes: a directory of segment files (relative to the data folder).</summary>
    public string? SharedEditsDirectory { get; set; }

    /// <summary>The first txid of the oldest segment kept (the tail starts there when it has no position).</summary>
    public long FirstSegmentTxId { get; set; } = 1;

    /// <summary>How often an in-progress segment is read again (10 ms .. 1 minute).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
