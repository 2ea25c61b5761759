using Unitization.Replication.Versions;

namespace Unitization.TestUtils.Replication;

/// <summary>
/// The one test double of <see cref="IReplicaVersionStore"/>: replica versions in memory with the rules of the SQLite
/// store (paths spelled by <see cref="ReplicaPath"/>; a version replaces the stored one only with a higher source txid;
/// lists sorted by path). <see cref="FailNextRecord"/> makes the next record throw (a process killed at that point).
/// </summary>
public sealed class InMemoryReplicaVersionStore : IReplicaVersionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string, string), ReplicaVersion> _versions = [];

    /// <summary>When set, the next <see cref="RecordAsync"/> throws this instead of recording.</summary>
    public Exception? FailNextRecord { get; set; }

    public Task RecordAsync(ReplicaVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (_lock)
        {
            if (FailNextRecord is { } failure)
            {
                FailNextRecord = null;
                return Task.FromException(failure);
            }

            var stored = version with { Path = ReplicaPath.Normalize(version.Path) };
            var key = (stored.Datacenter, stored.Path);
            if (!_versions.TryGetValue(key, out var existing) || stored.SourceTxId > existing.SourceTxId)
            {
                _versions[key] = stored;
            }
        }

        return Task.CompletedTask;
    }

    public Task<ReplicaVersion?> GetAsync(string datacenter, string path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_versions.GetValueOrDefault((datacenter, ReplicaPath.Normalize(path))));
        }
    }

    public Task<IReadOnlyList<ReplicaVersion>> ListAsync(string datacenter, string pathPrefix, CancellationToken cancellationToken)
    {
        var prefix = ReplicaPath.Normalize(pathPrefix);
        lock (_lock)
        {
            IReadOnlyList<ReplicaVersion> list = _versions.Values
                .Where(v => v.Datacenter == datacenter && (prefix == "/" || v.Path == prefix || v.Path.StartsWith(prefix + "/", StringComparison.Ordinal)))
                .OrderBy(v => v.Path, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(list);
        }
    }

    public Task RemoveAsync(string datacenter, string path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _versions.Remove((datacenter, ReplicaPath.Normalize(path)));
        }

        return Task.CompletedTask;
    }
}
