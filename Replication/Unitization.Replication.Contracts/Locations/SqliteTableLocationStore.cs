using System.Data.Common;
using Unitization.Replication.Versions;
using Unitization.StateStore;

namespace Unitization.Replication.Locations;

/// <summary>Table locations in the state store's <c>metastore_table_locations</c>, one row per table (db and table lower case).</summary>
internal sealed class SqliteTableLocationStore(IStateDatabase database) : ITableLocationStore
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

    public async Task RecordAsync(string db, string table, string path, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO metastore_table_locations (db, tbl, path) VALUES ($db, $tbl, $path)
            ON CONFLICT (db, tbl) DO UPDATE SET path = excluded.path
            """;
        Add(command, "$db", db.ToLowerInvariant());
        Add(command, "$tbl", table.ToLowerInvariant());
        Add(command, "$path", ReplicaPath.Normalize(path));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> GetAsync(string db, string table, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT path FROM metastore_table_locations WHERE db = $db AND tbl = $tbl";
        Add(command, "$db", db.ToLowerInvariant());
        Add(command, "$tbl", table.ToLowerInvariant());
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public async Task<string?> TableAtAsync(string path, CancellationToken cancellationToken)
    {
        // the path and each folder above it, nearest first: a partition's file finds its table
        var candidates = new List<string>();
        for (var p = ReplicaPath.Normalize(path); p.Length > 1; p = p[..Math.Max(1, p.LastIndexOf('/'))])
        {
            candidates.Add(p);
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var candidate in candidates)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT db || '.' || tbl FROM metastore_table_locations WHERE path = $path ORDER BY db, tbl LIMIT 1";
            Add(command, "$path", candidate);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string table)
            {
                return table;
            }
        }

        return null;
    }

    private static void Add(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
