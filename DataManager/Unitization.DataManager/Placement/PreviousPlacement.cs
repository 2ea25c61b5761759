using Unitization.DataManager.Lineage;

namespace Unitization.DataManager.Placement;

/// <summary>The plan placement starts from for stability: each job's datacenter and each dataset's holders.</summary>
internal sealed record PreviousPlacement(
    IReadOnlyDictionary<JobRef, string> Jobs,
    IReadOnlyDictionary<DatasetRef, string> Primaries,
    IReadOnlyDictionary<DatasetRef, IReadOnlyList<string>> Replicas);
