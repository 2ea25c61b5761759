using System.Collections.Frozen;
using Unitization.Namespaces;

namespace Unitization.Router.Versions;

/// <summary>
/// Per namespace, the primary's last txid under every path (from its edit log), and the replicas' versions (from
/// Replication's commit records). A replica is fresh for a path when its version is not older than the primary's last
/// txid under that path, and only when the primary's edit log has been followed to its end: while it has not, nothing
/// is known to be fresh.
/// </summary>
internal sealed class VersionService
{
    private readonly FrozenDictionary<string, (INamespace Namespace, PrimaryVersionIndex Index)> _primaries;

    public VersionService(INamespaceCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _primaries = catalog.Datacenters.ToFrozenDictionary(dc => dc, dc => (catalog.Get(dc), new PrimaryVersionIndex()), StringComparer.Ordinal);
    }

    public ReplicaVersionCache Replicas { get; } = new();

    /// <summary>
    /// Held while the replica versions are re-read into <see cref="Replicas"/>, and by a primary switch while it removes
    /// records: a refresh that listed the store before the removal must not publish its list after it.
    /// </summary>
    public SemaphoreSlim RefreshGate { get; } = new(1, 1);

    public IEnumerable<string> Datacenters => _primaries.Keys;

    public PrimaryVersionIndex IndexOf(string datacenter) => _primaries[datacenter].Index;

    public INamespace NamespaceOf(string datacenter) => _primaries[datacenter].Namespace;

    /// <summary>The primary's last txid under a path, as far as its edit log has been followed.</summary>
    public TxId PrimaryVersion(string primaryDatacenter, ReadOnlySpan<char> primaryPath) => _primaries[primaryDatacenter].Index.LastUnder(primaryPath);

    public FreshnessCheck Check(string primaryDatacenter, ReadOnlySpan<char> primaryPath, string replicaDatacenter, ReadOnlySpan<char> replicaPath)
    {
        var (ns, index) = _primaries[primaryDatacenter];

        // read the namespace's last txid before the index position: a position at or past it means every edit up to
        // it is visible in the index
        var last = ns.LastTxId;
        var followed = index.Position;
        var primaryVersion = index.LastUnder(primaryPath);
        var replicaVersion = Replicas.Covering(replicaDatacenter, replicaPath);
        var verdict = followed < last ? FreshnessVerdict.CatchingUp
            : replicaVersion is null ? FreshnessVerdict.NoReplicaVersion
            : replicaVersion.Value >= primaryVersion ? FreshnessVerdict.Fresh
            : FreshnessVerdict.Stale;
        return new FreshnessCheck(verdict, primaryVersion, replicaVersion, followed, last);
    }
}
