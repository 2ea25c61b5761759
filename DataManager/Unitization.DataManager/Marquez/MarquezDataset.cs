namespace Unitization.DataManager.Marquez;

internal sealed record MarquezDataset(
    MarquezId Id, string Type, string Name, string PhysicalName, string Namespace, string SourceName,
    IReadOnlyList<object> Fields, IReadOnlyList<string> Tags, IReadOnlyDictionary<string, object> Facets);
