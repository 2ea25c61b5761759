using System.Collections.Concurrent;
using Unitization.Replication.Versions;

namespace Unitization.Replication.Tests.Fakes;

internal sealed class MemoryVersionStore : IReplicaVersionStore
{
    private readonly ConcurrentDictionary<(string, string), ReplicaVersion> _versions = new();

    /// <summary>When set, the next RecordAsync throws this instead of recording (a process killed at that point).</summary>
    public Exception? FailNextRecord { get; set; }

    public Task RecordAsync(ReplicaVersion version, CancellationToken cancellationToken)
    {
        if (FailNextRecord is { } failure)
        {
            FailNextRecord = null;
            return Task.FromException(failure);
        }

        _versions.AddOrUpdate((version.Datacenter, version.Path), version, (_, old) => version.SourceTxId > old.SourceTxId ? version : old);
        return Task.CompletedTask;
    }

    public Task<ReplicaVersion?> GetAsync(string datacenter, string path, CancellationToken cancellationToken) =>
        Task.FromResult(_versions.GetValueOrDefault((datacenter, path)));

    public Task<IReadOnlyList<ReplicaVersion>> ListAsync(string datacenter, string pathPrefix, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReplicaVersion>>(_versions.Values
            .Where(v => v.Datacenter == datacenter && (pathPrefix == "/" || v.Path == pathPrefix || v.Path.StartsWith(pathPrefix + "/", StringComparison.Ordinal)))
            .OrderBy(v => v.Path, StringComparer.Ordinal)
            .ToList());

    public Task RemoveAsync(string datacenter, string path, CancellationToken cancellationToken)
    {
        _versions.TryRemove((datacenter, path), out _);
        return Task.CompletedTask;
    }
}
