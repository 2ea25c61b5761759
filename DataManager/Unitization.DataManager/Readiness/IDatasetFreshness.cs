namespace Unitization.DataManager.Readiness;

/// <summary>
/// The port through which placement asks whether a dataset's data is fresh in a datacenter (held as primary, or as a
/// replica whose version is not older than the primary's). The composition root wires it to the router's versions.
/// </summary>
public interface IDatasetFreshness
{
    Task<bool> IsFreshAsync(string datasetNamespace, string datasetName, string datacenter, CancellationToken cancellationToken);
}
