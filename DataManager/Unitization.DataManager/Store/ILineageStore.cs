using Unitization.DataManager.Lineage;

namespace Unitization.DataManager.Store;

/// <summary>Lineage kept per day: bytes per (job, dataset, direction) and runs per job.</summary>
internal interface ILineageStore
{
    Task AppendAsync(LineageAccumulator lineage, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="windowDays"/> days that have lineage, as bytes per day.</summary>
    Task<LineageSnapshot> LoadAsync(int windowDays, CancellationToken cancellationToken);
}
