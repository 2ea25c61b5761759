using System.Data.Common;
using System.Globalization;
using Unitization.Namespaces;
using Unitization.StateStore;

namespace Unitization.Replication.Versions;

/// <summary>
/// Replica versions (commit records) in the state store's <c>replica_versions</c> table, one row per
/// (datacenter, path). An upsert keeps the higher source txid, so a late or replayed commit never moves a replica's
/// version backwards.
/// </summary>
internal sealed class StateStoreReplicaVersionStore(IStateDatabase database) : IReplicaVersionStore
{
    /// <summary>The schema this store needs; registered by <c>AddReplicaVersionStore</c>.</summary>
    public static readonly StateMigration Migration = new(
        "replication",
        1,
        "replica_versions",
        """
        CREATE TABLE replica_versions (
            datacenter   TEXT    NOT NULL,
            path         TEXT    NOT NULL,
            source_txid  BIGINT  NOT NULL,
            committed_at TEXT    NOT NULL,
            PRIMARY KEY (datacenter, path)
        );
        """);

    public Task RecordAsync(ReplicaVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        return database.ExecuteAsync(
            """
            INSERT INTO replica_versions (datacenter, path, source_txid, committed_at)
            VALUES (@dc, @path, @txid, @at)
            ON CONFLICT (datacenter, path) DO UPDATE
              SET source_txid = excluded.source_txid, committed_at = excluded.committed_at
              WHERE excluded.source_txid > replica_versions.source_txid
            """,
            [
                ("@dc", version.Datacenter), ("@path", ReplicaPath.Normalize(version.Path)), ("@txid", version.SourceTxId.Value),
                ("@at", version.CommittedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
            ],
            cancellationToken);
    }

    public async Task<ReplicaVersion?> GetAsync(string datacenter, string path, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT datacenter, path, source_txid, committed_at FROM replica_versions WHERE datacenter = @dc AND path = @path";
        command.Add("@dc", datacenter);
        command.Add("@path", ReplicaPath.Normalize(path));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<ReplicaVersion>> ListAsync(string datacenter, string pathPrefix, CancellationToken cancellationToken)
    {
        var prefix = ReplicaPath.Normalize(pathPrefix);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // "/a/b" covers "/a/b" and "/a/b/..." but not "/a/bc"; substr avoids LIKE's wildcard escaping.
        command.CommandText = """
            SELECT datacenter, path, source_txid, committed_at FROM replica_versions
            WHERE datacenter = @dc AND (@prefix = '/' OR path = @prefix OR substr(path, 1, length(@prefix) + 1) = @prefix || '/')
            ORDER BY path
            """;
        command.Add("@dc", datacenter);
        command.Add("@prefix", prefix);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<ReplicaVersion>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(Read(reader));
        }

        return result;
    }

    public Task RemoveAsync(string datacenter, string path, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "DELETE FROM replica_versions WHERE datacenter = @dc AND path = @path",
            [("@dc", datacenter), ("@path", ReplicaPath.Normalize(path))],
            cancellationToken);

    private static ReplicaVersion Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        new TxId(reader.GetInt64(2)),
        DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
}
