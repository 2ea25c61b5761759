using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Unitization.Namespaces;

namespace Unitization.Router.Versions;

/// <summary>
/// Per namespace, the primary's last txid under every path (from its edit log), and the replicas' versions (from
/// Replication's commit records). A replica is fresh for a path when its version is not older than the primary's last
/// txid under that path, and only when the primary's edit log has been followed to its end: while it has not, nothing
/// is known to be fresh. A primary that learns its own writes by polling (<see cref="ISyncedNamespace"/>: HDFS) may
/// be behind them, so <see cref="Check"/> never calls its replicas fresh; <see cref="CheckAsync"/> first catches up
/// with it (<see cref="PrimaryCatchUp"/>, an msync) and compares with what that learned.
/// </summary>
internal sealed class VersionService
{
    private readonly FrozenDictionary<string, (INamespace Namespace, PrimaryVersionIndex Index, PrimaryCatchUp? CatchUp)> _primaries;

    public VersionService(INamespaceCatalog catalog, IOptions<RouterOptions>? options = null, TimeProvider? time = null, ILogger<VersionService>? logger = null)
        : this(catalog, options?.Value.PrimaryCatchUpTimeout ?? new RouterOptions().PrimaryCatchUpTimeout, null, time, logger)
    {
    }

    /// <param name="indexWait">How long a catch-up waits for the index to apply the edits it learned of (default: the timeout).</param>
    internal VersionService(INamespaceCatalog catalog, TimeSpan catchUpTimeout, TimeSpan? indexWait, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _primaries = catalog.Datacenters.ToFrozenDictionary(dc => dc, dc =>
        {
            var ns = catalog.Get(dc);
            var index = new PrimaryVersionIndex();
            var catchUp = ns is ISyncedNamespace synced
                ? new PrimaryCatchUp(dc, synced, index, catchUpTimeout, indexWait ?? catchUpTimeout, time ?? TimeProvider.System, logger ?? NullLogger.Instance)
                : null;
            return (ns, index, catchUp);
        }, StringComparer.Ordinal);
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

    /// <summary>Whether reads of this primary's replicas need a catch-up first (<see cref="CheckAsync"/>).</summary>
    public bool NeedsCatchUp(string primaryDatacenter) => _primaries[primaryDatacenter].CatchUp is not null;

    /// <summary>The catch-up of a primary that needs one, else null.</summary>
    public PrimaryCatchUp? CatchUpOf(string primaryDatacenter) => _primaries[primaryDatacenter].CatchUp;

    /// <summary>
    /// As <see cref="Check"/>, never stale for any primary: for one that needs it, a replica that looks fresh is
    /// checked again against the txid a catch-up begun after this call learned (CatchingUp when it learned none).
    /// </summary>
    public async ValueTask<FreshnessCheck> CheckAsync(string primaryDatacenter, string primaryPath, string replicaDatacenter, string replicaPath, CancellationToken cancellationToken)
    {
        var check = Check(primaryDatacenter, primaryPath, replicaDatacenter, replicaPath);
        if (!check.NeedsCatchUp)
        {
            return check;
        }

        var confirmed = await _primaries[primaryDatacenter].CatchUp!.RunAsync(cancellationToken).ConfigureAwait(false);
        return confirmed is { } last ? Check(primaryDatacenter, primaryPath, replicaDatacenter, replicaPath, last) : check;
    }

    /// <summary>
    /// The verdict as far as the primary's edits are known now. For a primary that needs a catch-up a replica is not
    /// called fresh without <paramref name="confirmedLast"/> (CatchingUp with <see cref="FreshnessCheck.NeedsCatchUp"/>):
    /// what a catch-up begun after the read arrived learned of the primary's last txid.
    /// </summary>
    public FreshnessCheck Check(string primaryDatacenter, ReadOnlySpan<char> primaryPath, string replicaDatacenter, ReadOnlySpan<char> replicaPath, TxId? confirmedLast = null)
    {
        var (ns, index, catchUp) = _primaries[primaryDatacenter];

        // read the namespace's last txid before the index position: a position at or past it means every edit up to
        // it is visible in the index
        var last = confirmedLast ?? ns.LastTxId;
        var followed = index.Position;
        var primaryVersion = index.LastUnder(primaryPath);
        var replicaVersion = Replicas.Covering(replicaDatacenter, replicaPath);
        var verdict = followed < last ? FreshnessVerdict.CatchingUp
            : replicaVersion is null ? FreshnessVerdict.NoReplicaVersion
            : replicaVersion.Value >= primaryVersion ? FreshnessVerdict.Fresh
            : FreshnessVerdict.Stale;
        if (verdict == FreshnessVerdict.Fresh && catchUp is not null && confirmedLast is null)
        {
            return new FreshnessCheck(FreshnessVerdict.CatchingUp, primaryVersion, replicaVersion, followed, last) { NeedsCatchUp = true };
        }

        return new FreshnessCheck(verdict, primaryVersion, replicaVersion, followed, last);
    }
}
