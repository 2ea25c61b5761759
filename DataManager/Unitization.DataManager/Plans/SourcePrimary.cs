namespace Unitization.DataManager.Plans;

/// <summary>
/// Where datasets that no job of the lineage writes are written (the metastore's own loads, ingestion): their primary
/// stays in <see cref="Datacenter"/>. <see cref="Name"/> is a dataset name, or a prefix ending in <c>*</c> (<c>*</c>: all).
/// </summary>
public sealed class SourcePrimary
{
    public string Namespace { get; set; } = string.Empty;

    public string Name { get; set; } = "*";

    public string Datacenter { get; set; } = string.Empty;

    internal bool Matches(string @namespace, string name) =>
        string.Equals(Namespace, @namespace, StringComparison.Ordinal)
        && (Name.EndsWith('*') ? name.StartsWith(Name[..^1], StringComparison.Ordinal) : string.Equals(Name, name, StringComparison.Ordinal));
}
