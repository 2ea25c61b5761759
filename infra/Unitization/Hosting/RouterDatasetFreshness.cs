using Unitization.DataManager.Readiness;
using Unitization.Router.Versions;

namespace Unitization.Host.Hosting;

/// <summary>DataManager's readiness port answered by the router's version service (same process).</summary>
internal sealed class RouterDatasetFreshness(PathFreshness freshness) : IDatasetFreshness
{
    public Task<bool> IsFreshAsync(string datasetNamespace, string datasetName, string datacenter, CancellationToken cancellationToken) =>
        freshness.IsDatasetFreshAsync(datasetNamespace, datasetName, datacenter, cancellationToken);

    public Task<string?> TableAtAsync(string path, CancellationToken cancellationToken) => freshness.TableAtAsync(path, cancellationToken);

    public Task<bool?> IsPartitionFreshAsync(string datasetNamespace, string datasetName, string partition, string datacenter, CancellationToken cancellationToken) =>
        freshness.IsDatasetPartitionFreshAsync(datasetNamespace, datasetName, partition, datacenter, cancellationToken);
}
