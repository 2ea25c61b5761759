using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Unitization.StateStore;

/// <summary>
/// The embedded state store: one SQLite file in WAL mode (readers never block the writer), a busy timeout so several
/// writers in one process queue rather than fail, and migrations applied before the first connection is handed out.
/// </summary>
public sealed class SqliteStateDatabase : StateDatabase
{
    private readonly string _connectionString;

    public SqliteStateDatabase(string databasePath, IEnumerable<StateMigration> migrations, ILogger<SqliteStateDatabase> logger)
        : base(migrations, logger)
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
        DatabasePath = databasePath;
    }

    public override string Provider => StateProviders.Sqlite;

    public string DatabasePath { get; }

    protected override Task BeginMigrationsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);

    protected override async Task<DbConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
