namespace Unitization.DataManager.Rules;

/// <summary>
/// A dataset to keep replicated: its primary datacenter and the datacenters that hold a read-only replica.
/// Datasets follow OpenLineage naming; for Hive tables <see cref="DatasetName"/> is <c>db.table</c>.
/// </summary>
public sealed record ReplicationRule(
    string DatasetNamespace,
    string DatasetName,
    string Primary,
    IReadOnlyList<string> Targets,
    int Priority,
    long DailyBytes);
