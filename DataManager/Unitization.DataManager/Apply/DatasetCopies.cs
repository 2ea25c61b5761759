namespace Unitization.DataManager.Apply;

/// <summary>Where a dataset is served from: its primary and its replicas.</summary>
public sealed record DatasetCopies(string Primary, IReadOnlyList<string> Replicas);
