using Unitization.Namespaces;
using Unitization.Replication.Versions;

namespace Unitization.Router.Versions;

/// <summary>
/// Replication's commit records held in memory per datacenter (an immutable snapshot per refresh, swapped atomically).
/// The version of a replica path is that of the nearest record at or above it. A snapshot that lags the store only
/// ever under-states versions (records never go backwards), which sends a read to the primary, never to a stale copy.
/// </summary>
internal sealed class ReplicaVersionCache
{
    private readonly Dictionary<string, NearestPathIndex<long>> _snapshots = new(StringComparer.Ordinal);
    private volatile Dictionary<string, NearestPathIndex<long>> _published = new(StringComparer.Ordinal);

    public int RecordCount => _published.Values.Sum(s => s.Count);

    /// <summary>Replaces one datacenter's records.</summary>
    public void Replace(string datacenter, IEnumerable<ReplicaVersion> versions)
    {
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var version in versions)
        {
            if (RouterPath.TryNormalize(version.Path, out var path, out _))
            {
                map[path] = Math.Max(map.GetValueOrDefault(path), version.SourceTxId.Value);
            }
        }

        lock (_snapshots)
        {
            _snapshots[datacenter] = new NearestPathIndex<long>(map);
            _published = new Dictionary<string, NearestPathIndex<long>>(_snapshots, StringComparer.Ordinal);
        }
    }

    /// <summary>The replica version covering <paramref name="path"/> in <paramref name="datacenter"/>, or null.</summary>
    public TxId? Covering(string datacenter, ReadOnlySpan<char> path)
    {
        if (!_published.TryGetValue(datacenter, out var snapshot))
        {
            return null;
        }

        return snapshot.TryGetNearest(path, out var version) ? new TxId(version) : null;
    }
}
