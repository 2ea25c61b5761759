using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Unitization.StateStore;
using Unitization.TestUtils.Servers;

namespace Unitization.TestUtils.StateStore;

/// <summary>
/// A fresh, empty state store of one provider for one test: a SQLite file in a temp folder, or a schema of its own in
/// the test PostgreSQL database (<c>UNITIZATION_TEST_POSTGRES</c>, an Npgsql connection string), dropped on dispose.
/// Tests run over both with <c>[Theory, InlineData(StateProviders.Sqlite), InlineData(StateProviders.PostgreSql)]</c>;
/// <see cref="OpenAnother"/> gives a second instance over the same store, as a second process would have.
/// </summary>
public sealed class TestStateStore : IAsyncDisposable
{
    public const string PostgresVariable = "UNITIZATION_TEST_POSTGRES";

    private readonly TempDirectory? _directory;
    private readonly string? _schema;
    private readonly List<IStateDatabase> _opened = [];

    private TestStateStore(string provider, TempDirectory? directory, string? connectionString, string? schema)
    {
        Provider = provider;
        _directory = directory;
        ConnectionString = connectionString;
        _schema = schema;
    }

    /// <summary>The test server's connection string: skips the test without it, or fails it under <c>CI=true</c>.</summary>
    public static string RequirePostgres()
    {
        var value = Environment.GetEnvironmentVariable(PostgresVariable);
        RequiredServer.Require(
            !string.IsNullOrWhiteSpace(value),
            $"PostgreSQL ({PostgresVariable})",
            $"infra/postgres/postgres.sh start .run/pg; export {PostgresVariable}=\"$(cat .run/pg/connection-string)\"");
        return value!;
    }

    public string Provider { get; }

    /// <summary>For SQLite: the database file (<c>StateStore:Path</c> for a host over this store).</summary>
    public string? SqlitePath => _directory?.Combine("state.db");

    /// <summary>For PostgreSQL: the connection string of this store's schema (its search path).</summary>
    public string? ConnectionString { get; }

    public static async Task<TestStateStore> CreateAsync(string provider, CancellationToken cancellationToken)
    {
        if (provider == StateProviders.Sqlite)
        {
            return new TestStateStore(provider, new TempDirectory("state"), null, null);
        }

        var server = RequirePostgres();
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(server, $"CREATE SCHEMA {schema}", cancellationToken);
        var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ToString();
        return new TestStateStore(provider, null, connectionString, schema);
    }

    /// <summary>A state database over this store with <paramref name="migrations"/>; disposed with the store.</summary>
    public IStateDatabase OpenAnother(IEnumerable<StateMigration> migrations)
    {
        IStateDatabase database = Provider == StateProviders.Sqlite
            ? new SqliteStateDatabase(SqlitePath!, migrations, NullLogger<SqliteStateDatabase>.Instance)
            : new PostgresStateDatabase(ConnectionString!, migrations, NullLogger<PostgresStateDatabase>.Instance);
        _opened.Add(database);
        return database;
    }

    /// <summary>A change feed of one more process over this store (for PostgreSQL: listening until disposed).</summary>
    public Task<TestChangeFeed> StartFeedAsync(CancellationToken cancellationToken) =>
        TestChangeFeed.StartAsync(Provider, ConnectionString, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            if (database is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            _directory.Dispose();
        }

        if (_schema is not null)
        {
            await ExecuteAsync(RequirePostgres(), $"DROP SCHEMA IF EXISTS {_schema} CASCADE", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
