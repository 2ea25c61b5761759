using Unitization.StateStore;

namespace Unitization.DataManager.Store;

/// <summary>DataManager's tables in the state store.</summary>
internal static class DataManagerSchema
{
    public static readonly StateMigration Initial = new("datamanager", 1, "lineage-and-plans", """
        CREATE TABLE dm_lineage_io (
            day TEXT NOT NULL,
            job_namespace TEXT NOT NULL,
            job_name TEXT NOT NULL,
            dag TEXT NOT NULL,
            dataset_namespace TEXT NOT NULL,
            dataset_name TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('read', 'write')),
            bytes BIGINT NOT NULL,
            PRIMARY KEY (day, job_namespace, job_name, dataset_namespace, dataset_name, direction));
        CREATE TABLE dm_lineage_runs (
            day TEXT NOT NULL,
            job_namespace TEXT NOT NULL,
            job_name TEXT NOT NULL,
            dag TEXT NOT NULL,
            runs INTEGER NOT NULL,
            PRIMARY KEY (day, job_namespace, job_name));
        CREATE TABLE dm_plans (
            version BIGINT PRIMARY KEY,
            created_at TEXT NOT NULL,
            jobs INTEGER NOT NULL,
            datasets INTEGER NOT NULL,
            cross_dc_bytes_per_day DOUBLE PRECISION NOT NULL,
            plan_json TEXT NOT NULL);
        """);

    /// <summary>Runs already counted (a re-sent event adds nothing), and datasets announced by DatasetEvents.</summary>
    public static readonly StateMigration RunsAndDatasets = new("datamanager", 2, "lineage-runs-and-datasets", """
        CREATE TABLE dm_lineage_seen_runs (
            run_key TEXT PRIMARY KEY,
            seen_at TEXT NOT NULL);
        CREATE TABLE dm_lineage_datasets (
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            PRIMARY KEY (namespace, name));
        """);

    /// <summary>What the plan's apply has done, per dataset (GET /api/v1/placement/changes diffs the plan against it).</summary>
    public static readonly StateMigration AppliedPlacement = new("datamanager", 3, "applied-placement", """
        CREATE TABLE dm_applied_datasets (
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            path TEXT NOT NULL,
            primary_dc TEXT NOT NULL,
            replicas_json TEXT NOT NULL,
            plan_version BIGINT NOT NULL,
            applied_at TEXT NOT NULL,
            PRIMARY KEY (namespace, name));
        """);
}
