using Unitization.Namespaces;

namespace Unitization.Replication.Versions;

/// <summary>
/// A commit record: the replica of <see cref="Path"/> in <see cref="Datacenter"/> holds the primary's data as of
/// <see cref="SourceTxId"/> (the primary namespace's txid the copy was taken at).
/// </summary>
public sealed record ReplicaVersion(string Datacenter, string Path, TxId SourceTxId, DateTimeOffset CommittedAt);
