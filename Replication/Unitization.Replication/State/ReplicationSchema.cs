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

    /// <summary>
    /// What Hive's metastore does not keep for the replicator: ACID writes held until their transaction commits, and
    /// the location of every partition the workers copied (a DROP_PARTITION message names only the values).
    /// </summary>
    public static readonly StateMigration Metastore = new(
        "replication",
        4,
        "acid_writes_partition_locations",
        """
        CREATE TABLE replication_acid_writes (
            source        TEXT    NOT NULL,
            event_id      INTEGER NOT NULL,
            txn_id        INTEGER NOT NULL,
            envelope      TEXT    NOT NULL,
            PRIMARY KEY (source, event_id)
        );
        CREATE INDEX replication_acid_writes_txn ON replication_acid_writes (source, txn_id);
        CREATE TABLE replication_partition_locations (
            db            TEXT    NOT NULL,
            tbl           TEXT    NOT NULL,
            partition     TEXT    NOT NULL,
            path          TEXT    NOT NULL,
            PRIMARY KEY (db, tbl, partition)
        );
        """);

    /// <summary>Each API migration's owner (the replicator process running it) and the time its lease runs out.</summary>
    public static readonly StateMigration MigrationOwners = new(
        "replication",
        5,
        "migration_owners",
        """
        ALTER TABLE replication_migrations ADD COLUMN owner TEXT NULL;
        ALTER TABLE replication_migrations ADD COLUMN lease_until TEXT NULL;
        """);
}
