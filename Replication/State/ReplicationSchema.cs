using Unitization.StateStore;

namespace Unitization.Replication.State;

/// <summary>Replication's tables beyond the replica versions: pump checkpoint, migrations, lifecycle.</summary>
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
}
