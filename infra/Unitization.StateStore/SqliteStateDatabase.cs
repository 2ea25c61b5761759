using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Unitization.StateStore;

/// <summary>
/// The embedded state store: one SQLite file in WAL mode (readers never block the writer), a busy timeout so several
/// writers in one process queue rather than fail, and migrations applied before the first connection is handed out.
/// </summary>
public sealed class SqliteStateDatabase : IStateDatabase
{
    private readonly string _connectionString;
    private readonly IReadOnlyList<StateMigration> _migrations;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _migrateLock = new(1, 1);
    private volatile bool _migrated;

    public SqliteStateDatabase(string databasePath, IEnumerable<StateMigration> migrations, ILogger<SqliteStateDatabase> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(databasePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _migrations = migrations.OrderBy(m => m.Component, StringComparer.Ordinal).ThenBy(m => m.Version).ToList();
        _logger = logger;
        DatabasePath = databasePath;
    }

    public string Provider => "sqlite";

    public string DatabasePath { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return await OpenRawAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }

        await _migrateLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_migrated)
            {
                return;
            }

            await using var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                connection,
                null,
                "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, component TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL);",
                cancellationToken).ConfigureAwait(false);

            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var select = connection.CreateCommand())
            {
                select.CommandText = "SELECT id FROM schema_migrations";
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(reader.GetString(0));
                }
            }

            foreach (var migration in _migrations)
            {
                if (applied.Contains(migration.Id))
                {
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
                    await using var record = connection.CreateCommand();
                    record.Transaction = transaction;
                    record.CommandText = "INSERT INTO schema_migrations (id, component, version, applied_at) VALUES ($id, $component, $version, strftime('%Y-%m-%dT%H:%M:%fZ','now'))";
                    record.Parameters.Add(new SqliteParameter("$id", migration.Id));
                    record.Parameters.Add(new SqliteParameter("$component", migration.Component));
                    record.Parameters.Add(new SqliteParameter("$version", migration.Version));
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException ex)
                {
                    throw new InvalidOperationException($"State store migration {migration.Id} failed: {ex.Message}", ex);
                }

                StateStoreLog.MigrationApplied(_logger, migration.Id);
            }

            _migrated = true;
        }
        finally
        {
            _migrateLock.Release();
        }
    }

    private async Task<DbConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return connection;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
