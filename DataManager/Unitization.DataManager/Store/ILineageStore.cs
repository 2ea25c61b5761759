using Unitization.DataManager.Lineage;

namespace Unitization.DataManager.Store;

/// <summary>Lineage kept per day: bytes per (job, dataset, direction) and runs per job.</summary>
internal interface ILineageStore
{
    Task AppendAsync(LineageAccumulator lineage, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="lineage"/> and records <paramref name="runKeys"/> (<c>runId|eventType</c>) as seen, in
    /// one transaction; false (nothing written) when one of the keys was seen already (a concurrent re-send won).
    /// </summary>
    Task<bool> AppendAsync(LineageAccumulator lineage, IReadOnlyCollection<string> runKeys, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The keys among <paramref name="runKeys"/> already recorded.</summary>
    Task<IReadOnlySet<string>> SeenRunsAsync(IReadOnlyCollection<string> runKeys, CancellationToken cancellationToken);

    /// <summary>Records datasets announced by DatasetEvents (first and last seen).</summary>
    Task AnnounceDatasetsAsync(IReadOnlyCollection<DatasetRef> datasets, DateTimeOffset at, CancellationToken cancellationToken);

    Task<IReadOnlyList<DatasetRef>> AnnouncedDatasetsAsync(CancellationToken cancellationToken);

    /// <summary>The last <paramref name="windowDays"/> days that have lineage, as bytes per day.</summary>
    Task<LineageSnapshot> LoadAsync(int windowDays, CancellationToken cancellationToken);
}
