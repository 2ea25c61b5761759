using Unitization.StateStore;

namespace Unitization.Replication.State;

/// <summary>Replication's tables beyond the replica versions: pump checkpoint, migrations, lifecycle (history and registry).</summary>
internal static class ReplicationSchema
{
    public static readonly StateMigration Migration = new(
        "replication",
        2,
        "pump_migrations_lifecycle",
        """
        CREATE TABLE replication_pump (
            source        TEXT    PRIMARY KEY,
            last_event_id INTEGER NOT NULL,
            updated_at    TEXT    NOT NULL
        );
        CREATE TABLE replication_migrations (
            id            TEXT    PRIMARY KEY,
            json          TEXT    NOT NULL,
            updated_at    TEXT    NOT NULL
        );
        CREATE TABLE replication_lifecycle (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            at            TEXT    NOT NULL,
            action        TEXT    NOT NULL,
            datacenter    TEXT    NOT NULL,
            path          TEXT    NOT NULL,
            reason        TEXT    NOT NULL
        );
        CREATE TABLE replication_unruled (
            datacenter    TEXT    NOT NULL,
            path          TEXT    NOT NULL,
            since         TEXT    NOT NULL,
            PRIMARY KEY (datacenter, path)
        );
        """);

    /// <summary>
    /// The lifecycle's registry: every replica the workers published, the dataset whose rule made it, and its state
    /// (active, expiring: out of the rules since <c>unruled_since</c>, retired at <c>retired_at</c> for <c>reason</c>).
    /// </summary>
    public static readonly StateMigration Lifecycle = new(
        "replication",
        3,
        "replica_lifecycle",
        """
        DROP TABLE replication_unruled;
        CREATE TABLE replication_replicas (
            datacenter    TEXT    NOT NULL,
            path          TEXT    NOT NULL,
            dataset       TEXT    NOT NULL,
            state         TEXT    NOT NULL,
            committed_at  TEXT    NOT NULL,
            unruled_since TEXT    NULL,
            retired_at    TEXT    NULL,
            reason        TEXT    NULL,
            PRIMARY KEY (datacenter, path)
        );
        CREATE INDEX replication_replicas_state ON replication_replicas (state);
        """);
}
