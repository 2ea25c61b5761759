using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Unitization.StateStore;

/// <summary>
/// What both providers share: migrations applied once per process before the first connection is handed out, each
/// in its own transaction and recorded in <c>schema_migrations</c>; a failing one rolls back and is named.
/// </summary>
public abstract class StateDatabase : IStateDatabase
{
    private readonly IReadOnlyList<StateMigration> _migrations;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _migrateLock = new(1, 1);
    private volatile bool _migrated;

    protected StateDatabase(IEnumerable<StateMigration> migrations, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        _migrations = migrations.OrderBy(m => m.Component, StringComparer.Ordinal).ThenBy(m => m.Version).ToList();
        _logger = logger;
    }

    public abstract string Provider { get; }

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

            var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await BeginMigrationsAsync(connection, cancellationToken).ConfigureAwait(false);
                try
                {
                    await ApplyAsync(connection, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await EndMigrationsAsync(connection, CancellationToken.None).ConfigureAwait(false);
                }
            }

            _migrated = true;
        }
        finally
        {
            _migrateLock.Release();
        }
    }

    /// <summary>A new open connection, migrations or not.</summary>
    protected abstract Task<DbConnection> OpenRawAsync(CancellationToken cancellationToken);

    /// <summary>Before the migrations: journal mode, or a lock so only one process of a fleet migrates at a time.</summary>
    protected abstract Task BeginMigrationsAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>After the migrations (whether they succeeded): releases what <see cref="BeginMigrationsAsync"/> took.</summary>
    protected virtual Task EndMigrationsAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    protected static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        var command = StateSql.Command(connection, sql, transaction);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            connection,
            null,
            "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, component TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL);",
            cancellationToken).ConfigureAwait(false);

        var applied = new HashSet<string>(StringComparer.Ordinal);
        var select = StateSql.Command(connection, "SELECT id FROM schema_migrations");
        await using (select.ConfigureAwait(false))
        {
            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(reader.GetString(0));
                }
            }
        }

        foreach (var migration in _migrations.Where(m => !applied.Contains(m.Id)))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                try
                {
                    await ExecuteAsync(connection, transaction, migration.SqlFor(Provider), cancellationToken).ConfigureAwait(false);
                    var record = StateSql.Command(
                        connection,
                        "INSERT INTO schema_migrations (id, component, version, applied_at) VALUES (@id, @component, @version, @at)",
                        transaction);
                    await using (record.ConfigureAwait(false))
                    {
                        record.Add("@id", migration.Id);
                        record.Add("@component", migration.Component);
                        record.Add("@version", migration.Version);
                        record.Add("@at", TimeProvider.System.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (DbException ex)
                {
                    throw new InvalidOperationException($"State store migration {migration.Id} failed on {Provider}: {ex.Message}", ex);
                }
            }

            StateStoreLog.MigrationApplied(_logger, migration.Id);
        }
    }
}
