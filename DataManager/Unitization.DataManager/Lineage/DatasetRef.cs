namespace Unitization.DataManager.Lineage;

/// <summary>An OpenLineage dataset: <c>(namespace, name)</c>; a Hive table is <c>hive://metastore</c>, <c>db.table</c>.</summary>
internal readonly record struct DatasetRef(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
