using System.Collections.Frozen;
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
    private readonly Dictionary<string, Snapshot> _snapshots = new(StringComparer.Ordinal);
    private volatile Dictionary<string, Snapshot> _published = new(StringComparer.Ordinal);

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
            _snapshots[datacenter] = new Snapshot(map.ToFrozenDictionary(StringComparer.Ordinal));
            _published = new Dictionary<string, Snapshot>(_snapshots, StringComparer.Ordinal);
        }
    }

    /// <summary>The replica version covering <paramref name="path"/> in <paramref name="datacenter"/>, or null.</summary>
    public TxId? Covering(string datacenter, ReadOnlySpan<char> path)
    {
        if (!_published.TryGetValue(datacenter, out var snapshot))
        {
            return null;
        }

        var probe = path;
        while (true)
        {
            if (snapshot.Lookup.TryGetValue(probe, out var version))
            {
                return new TxId(version);
            }

            if (probe.Length <= 1)
            {
                return null;
            }

            probe = RouterPath.Parent(probe);
        }
    }

    private sealed class Snapshot(FrozenDictionary<string, long> versions)
    {
        public FrozenDictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; } = versions.GetAlternateLookup<ReadOnlySpan<char>>();

        public int Count => versions.Count;
    }
}
