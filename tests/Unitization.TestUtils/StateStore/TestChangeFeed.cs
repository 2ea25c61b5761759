using Microsoft.Extensions.Logging.Abstractions;
using Unitization.StateStore;
using Unitization.StateStore.Changes;

namespace Unitization.TestUtils.StateStore;

/// <summary>One process's change feed over a test store, listening (PostgreSQL) until disposed.</summary>
public sealed class TestChangeFeed : IAsyncDisposable
{
    private readonly PostgresStateChangeFeed? _listener;
    private readonly PostgresStateDatabase? _database;

    private TestChangeFeed(IStateChangeFeed feed, PostgresStateChangeFeed? listener, PostgresStateDatabase? database)
    {
        Feed = feed;
        _listener = listener;
        _database = database;
    }

    public IStateChangeFeed Feed { get; }

    internal static async Task<TestChangeFeed> StartAsync(string provider, string? connectionString, CancellationToken cancellationToken)
    {
        if (provider == StateProviders.Sqlite)
        {
            return new TestChangeFeed(new LocalStateChangeFeed(NullLogger<LocalStateChangeFeed>.Instance), null, null);
        }

        var database = new PostgresStateDatabase(connectionString!, [], NullLogger<PostgresStateDatabase>.Instance);
        var listener = new PostgresStateChangeFeed(database, TimeProvider.System, NullLogger<PostgresStateChangeFeed>.Instance);
        await listener.StartAsync(cancellationToken);
        return new TestChangeFeed(listener, listener, database);
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.StopAsync(CancellationToken.None);
            _listener.Dispose();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
