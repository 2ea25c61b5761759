using Unitization.Replication.Versions;

namespace Unitization.TestUtils.Replication;

/// <summary>Replica versions in memory, with the store's rule that an older version never overwrites a newer one.</summary>
public sealed class InMemoryReplicaVersionStore : IReplicaVersionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string, string), ReplicaVersion> _versions = [];

    public Task RecordAsync(ReplicaVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (_lock)
        {
            var key = (version.Datacenter, version.Path);
            if (!_versions.TryGetValue(key, out var existing) || existing.SourceTxId <= version.SourceTxId)
            {
                _versions[key] = version;
            }
        }

        return Task.CompletedTask;
    }

    public Task<ReplicaVersion?> GetAsync(string datacenter, string path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_versions.GetValueOrDefault((datacenter, path)));
        }
    }

    public Task<IReadOnlyList<ReplicaVersion>> ListAsync(string datacenter, string pathPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pathPrefix);
        lock (_lock)
        {
            IReadOnlyList<ReplicaVersion> list = _versions.Values
                .Where(v => v.Datacenter == datacenter && (pathPrefix == "/" || v.Path == pathPrefix || v.Path.StartsWith(pathPrefix.TrimEnd('/') + "/", StringComparison.Ordinal)))
                .ToList();
            return Task.FromResult(list);
        }
    }

    public Task RemoveAsync(string datacenter, string path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _versions.Remove((datacenter, path));
        }

        return Task.CompletedTask;
    }
}
