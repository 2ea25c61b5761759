namespace Unitization.Namespaces;

/// <summary>
/// A namespace whose <see cref="INamespace.LastTxId"/> can lag its writes: it learns them by tailing a log, as an
/// HDFS observer NameNode tails the JournalNodes (<c>Kind: hdfs</c>). Before a read may be served from a copy other
/// than this primary, the router asks <see cref="SyncAsync"/>, as an HDFS client calls <c>msync</c> before reading
/// from an observer. A local namespace logs a write before it answers, so its LastTxId is never behind and it does
/// not implement this.
/// </summary>
public interface ISyncedNamespace : INamespace
{
    /// <summary>
    /// Learns the last txid the primary has written by now (every write answered before the call is at or below it),
    /// has this namespace's log read up to there, and returns the last txid of an edit at or before it (at least
    /// that: <see cref="INamespace.EditsSinceAsync"/> gives every edit up to the returned txid). Throws when it cannot
    /// learn or reach it; callers then treat the copies as not known to be fresh.
    /// </summary>
    Task<TxId> SyncAsync(CancellationToken cancellationToken);
}
