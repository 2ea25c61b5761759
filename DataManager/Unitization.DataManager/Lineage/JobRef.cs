namespace Unitization.DataManager.Lineage;

/// <summary>An OpenLineage job: <c>(job.namespace, job.name)</c>.</summary>
internal readonly record struct JobRef(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
