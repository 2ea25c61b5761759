namespace Unitization.Replication.Versions;

/// <summary>Durable replica versions (commit records). The router and placement readiness read them.</summary>
public interface IReplicaVersionStore
{
    /// <summary>Records a version; an older version never overwrites a newer one for the same replica.</summary>
    Task RecordAsync(ReplicaVersion version, CancellationToken cancellationToken);

    Task<ReplicaVersion?> GetAsync(string datacenter, string path, CancellationToken cancellationToken);

    /// <summary>All versions in a datacenter under a path prefix ("/" for all).</summary>
    Task<IReadOnlyList<ReplicaVersion>> ListAsync(string datacenter, string pathPrefix, CancellationToken cancellationToken);

    Task RemoveAsync(string datacenter, string path, CancellationToken cancellationToken);
}
