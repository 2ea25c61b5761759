using Microsoft.Extensions.Logging.Abstractions;
using Unitization.StateStore;
using Unitization.TestUtils;

namespace Unitization.StateStore.Tests;

public sealed class SqliteStateDatabaseTests : IDisposable
{
    private readonly TempDirectory _dir = new("state");

    [Fact]
    public async Task MigrateAsync_TwoVersions_AppliesBothInOrderOnce()
    {
        var migrations = new[]
        {
            new StateMigration("test", 2, "add_column", "ALTER TABLE items ADD COLUMN size INTEGER NOT NULL DEFAULT 0;"),
            new StateMigration("test", 1, "create", "CREATE TABLE items (name TEXT PRIMARY KEY);"),
        };
        var path = _dir.Combine("state.db");
        var first = new SqliteStateDatabase(path, migrations, NullLogger<SqliteStateDatabase>.Instance);
        await using (var connection = await first.OpenAsync(TestContext.Current.CancellationToken))
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO items (name, size) VALUES ('a', 3)";
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // A second process start must not re-apply (ALTER TABLE ADD COLUMN would fail if it did).
        var second = new SqliteStateDatabase(path, migrations, NullLogger<SqliteStateDatabase>.Instance);
        await using var again = await second.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = again.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE component = 'test'";
        Assert.Equal(2L, (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
        await using var read = again.CreateCommand();
        read.CommandText = "SELECT size FROM items WHERE name = 'a'";
        Assert.Equal(3L, (long)(await read.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
    }

    [Fact]
    public async Task MigrateAsync_FailingMigration_RollsBackAndNamesIt()
    {
        var migrations = new[]
        {
            new StateMigration("test", 1, "create", "CREATE TABLE items (name TEXT PRIMARY KEY);"),
            new StateMigration("test", 2, "broken", "CREATE TABLE other (x INTEGER); ALTER TABLE missing ADD COLUMN y INTEGER;"),
        };
        var db = new SqliteStateDatabase(_dir.Combine("state.db"), migrations, NullLogger<SqliteStateDatabase>.Instance);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => db.MigrateAsync(TestContext.Current.CancellationToken));
        Assert.Contains("test:0002:broken", ex.Message, StringComparison.Ordinal);

        var fixedDb = new SqliteStateDatabase(_dir.Combine("state.db"), migrations.Take(1), NullLogger<SqliteStateDatabase>.Instance);
        await using var connection = await fixedDb.OpenAsync(TestContext.Current.CancellationToken);
        await using var probe = connection.CreateCommand();
        probe.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'other'";
        Assert.Equal(0L, (long)(await probe.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
    }

    [Fact]
    public async Task OpenAsync_ConcurrentWriters_AllCommit()
    {
        var db = new SqliteStateDatabase(
            _dir.Combine("state.db"),
            [new StateMigration("test", 1, "create", "CREATE TABLE n (i INTEGER PRIMARY KEY);")],
            NullLogger<SqliteStateDatabase>.Instance);
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            await using var connection = await db.OpenAsync(TestContext.Current.CancellationToken);
            await using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO n (i) VALUES ({i})";
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }));
        await using var c = await db.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = c.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM n";
        Assert.Equal(64L, (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
