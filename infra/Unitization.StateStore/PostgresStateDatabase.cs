using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Unitization.StateStore;

/// <summary>
/// The fleet's state store: a PostgreSQL database every process shares, through one pooled
/// <see cref="NpgsqlDataSource"/>. Processes starting together migrate one at a time (an advisory lock), so each
/// migration applies once across the fleet.
/// </summary>
public sealed class PostgresStateDatabase : StateDatabase, IAsyncDisposable
{
    /// <summary>The advisory lock key the migrations hold (any constant no other lock of ours uses).</summary>
    private const long MigrationLockKey = 0x556e_6974_4d69_67; // "UnitMig"

    public PostgresStateDatabase(string connectionString, IEnumerable<StateMigration> migrations, ILogger<PostgresStateDatabase> logger)
        : base(migrations, logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "unitization";
        }

        DataSource = NpgsqlDataSource.Create(builder);
    }

    public override string Provider => StateProviders.PostgreSql;

    /// <summary>The pool, for what needs a connection of its own (LISTEN, leases).</summary>
    public NpgsqlDataSource DataSource { get; }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    protected override async Task<DbConnection> OpenRawAsync(CancellationToken cancellationToken) =>
        await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override Task BeginMigrationsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);

    protected override async Task EndMigrationsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // the connection broke: the server released its session's lock with it
        }
    }
}
