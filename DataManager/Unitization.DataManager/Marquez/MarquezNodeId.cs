namespace Unitization.DataManager.Marquez;

/// <summary>A node of the lineage graph: <c>job:{ns}:{name}</c> or <c>dataset:{ns}:{name}</c>.</summary>
internal sealed record MarquezNodeId(string Type, string Namespace, string Name)
{
    public string Id => $"{(Type == "JOB" ? "job" : "dataset")}:{Namespace}:{Name}";
}
