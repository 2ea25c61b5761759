namespace Unitization.DataManager.Readiness;

/// <summary>
/// The port through which placement asks whether a dataset's data is fresh in a datacenter (held as primary, or as a
/// replica whose version is not older than the primary's). The composition root wires it to the router's versions.
/// </summary>
public interface IDatasetFreshness
{
    Task<bool> IsFreshAsync(string datasetNamespace, string datasetName, string datacenter, CancellationToken cancellationToken);

    /// <summary>
    /// Whether one partition (<c>dt=2026-12-05</c>) of a dataset is written and fresh in a datacenter; null when the
    /// dataset is not partitioned by that key (then the whole dataset's freshness answers).
    /// </summary>
    Task<bool?> IsPartitionFreshAsync(string datasetNamespace, string datasetName, string partition, string datacenter, CancellationToken cancellationToken) =>
        Task.FromResult<bool?>(null);

    /// <summary>The Hive table (<c>db.table</c>) at a warehouse path or a folder above it (the metastore's locations), or null.</summary>
    Task<string?> TableAtAsync(string path, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
