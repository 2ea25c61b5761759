using Unitization.Replication.Versions;
using Unitization.StateStore;

namespace Unitization.Replication.Locations;

/// <summary>Table locations in the state store's <c>metastore_table_locations</c>, one row per table (db and table lower case).</summary>
internal sealed class StateStoreTableLocationStore(IStateDatabase database) : ITableLocationStore
{
    public static readonly StateMigration Migration = new(
        "metastore-locations",
        1,
        "metastore_table_locations",
        """
        CREATE TABLE metastore_table_locations (
            db   TEXT NOT NULL,
            tbl  TEXT NOT NULL,
            path TEXT NOT NULL,
            PRIMARY KEY (db, tbl)
        );
        CREATE INDEX metastore_table_locations_path ON metastore_table_locations (path);
        """);

    public Task RecordAsync(string db, string table, string path, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            """
            INSERT INTO metastore_table_locations (db, tbl, path) VALUES (@db, @tbl, @path)
            ON CONFLICT (db, tbl) DO UPDATE SET path = excluded.path
            """,
            [("@db", db.ToLowerInvariant()), ("@tbl", table.ToLowerInvariant()), ("@path", ReplicaPath.Normalize(path))],
            cancellationToken);

    public async Task<string?> GetAsync(string db, string table, CancellationToken cancellationToken) =>
        await database.ScalarAsync(
            "SELECT path FROM metastore_table_locations WHERE db = @db AND tbl = @tbl",
            [("@db", db.ToLowerInvariant()), ("@tbl", table.ToLowerInvariant())],
            cancellationToken).ConfigureAwait(false) as string;

    public async Task<string?> TableAtAsync(string path, CancellationToken cancellationToken)
    {
        // the path and each folder above it, nearest first: a partition's file finds its table
        for (var p = ReplicaPath.Normalize(path); p.Length > 1; p = p[..Math.Max(1, p.LastIndexOf('/'))])
        {
            if (await database.ScalarAsync(
                    "SELECT db || '.' || tbl FROM metastore_table_locations WHERE path = @path ORDER BY db, tbl LIMIT 1",
                    [("@path", p)],
                    cancellationToken).ConfigureAwait(false) is string table)
            {
                return table;
            }
        }

        return null;
    }
}
