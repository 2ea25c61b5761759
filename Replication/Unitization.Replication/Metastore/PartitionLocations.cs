using Unitization.StateStore;

namespace Unitization.Replication.Metastore;

/// <summary>
/// Where each replicated partition lives (<c>db</c>, <c>table</c>, <c>k1=v1/k2=v2</c> → path), recorded when a worker
/// plans its copy. A DROP_PARTITION message names only the partition's values, and HMS no longer has the partition
/// when the event is read: a partition with a custom location (ALTER TABLE ... PARTITION ... SET LOCATION) is found here.
/// </summary>
internal sealed class PartitionLocations(IStateDatabase database)
{
    public async Task RecordAsync(string db, string table, string partition, string path, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO replication_partition_locations (db, tbl, partition, path) VALUES (@db, @tbl, @partition, @path)
            ON CONFLICT (db, tbl, partition) DO UPDATE SET path = excluded.path
            """;
        Add(command, db, table, partition);
        command.Add("@path", path);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> FindAsync(string db, string table, string partition, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT path FROM replication_partition_locations WHERE db = @db AND tbl = @tbl AND partition = @partition";
        Add(command, db, table, partition);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public async Task ForgetAsync(string db, string table, string partition, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM replication_partition_locations WHERE db = @db AND tbl = @tbl AND partition = @partition";
        Add(command, db, table, partition);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Add(System.Data.Common.DbCommand command, string db, string table, string partition)
    {
        command.Add("@db", db.ToLowerInvariant());
        command.Add("@tbl", table.ToLowerInvariant());
        command.Add("@partition", partition);
    }
}
