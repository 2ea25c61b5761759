namespace Unitization.DataManager.Marquez;

internal sealed record MarquezDatasets(IReadOnlyList<MarquezDataset> Datasets, int TotalCount);
