using Microsoft.Extensions.Logging.Abstractions;
using Unitization.StateStore.Changes;
using Unitization.TestUtils.Servers;
using Unitization.TestUtils.StateStore;

namespace Unitization.StateStore.Tests.Changes;

/// <summary>Two processes' feeds over one real PostgreSQL (each test announces kinds of its own: channels are database-wide).</summary>
public sealed class PostgresStateChangeFeedTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PublishAsync_OnOneProcess_ReloadsTheOther()
    {
        var ct = TestContext.Current.CancellationToken;
        var kind = "test_" + Guid.NewGuid().ToString("N");
        await using var store = await TestStateStore.CreateAsync(StateProviders.PostgreSql, ct);
        using var publisher = Feed(store);
        using var listener = Feed(store);
        var reloads = 0;
        using var subscription = listener.Subscribe(kind, _ => { Interlocked.Increment(ref reloads); return Task.CompletedTask; });
        await publisher.StartAsync(ct);
        await listener.StartAsync(ct);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref reloads) == 1), Deadline, ct), "no reload when the feed connected");

        await publisher.PublishAsync(kind, ct);

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref reloads) >= 2), Deadline, ct), "the other process never heard of the change");
        await listener.StopAsync(ct);
        await publisher.StopAsync(ct);
    }

    [Fact]
    public async Task ListenerConnectionKilled_Reconnects_ReloadsAndHearsLaterChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        var kind = "test_" + Guid.NewGuid().ToString("N");
        await using var store = await TestStateStore.CreateAsync(StateProviders.PostgreSql, ct);
        var application = "feed-" + Guid.NewGuid().ToString("N")[..8];
        using var listener = Feed(store, application);
        using var publisher = Feed(store);
        var reloads = 0;
        using var subscription = listener.Subscribe(kind, _ => { Interlocked.Increment(ref reloads); return Task.CompletedTask; });
        await listener.StartAsync(ct);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref reloads) == 1), Deadline, ct));

        // the server ends the listening session (a restart, a network cut): whatever was announced meanwhile is lost
        await using (var connection = await store.OpenAnother([]).OpenAsync(ct))
        await using (var kill = StateSql.Command(connection, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @app"))
        {
            kill.Add("@app", application);
            Assert.Equal(1L, Convert.ToInt64(await kill.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref reloads) >= 2), Deadline, ct), "no reload after reconnecting");
        var before = Volatile.Read(ref reloads);
        await publisher.PublishAsync(kind, ct);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref reloads) > before), Deadline, ct), "a change after the reconnect was not heard");
        await listener.StopAsync(ct);
    }

    private static PostgresStateChangeFeed Feed(TestStateStore store, string? application = null)
    {
        var connectionString = application is null
            ? store.ConnectionString!
            : new Npgsql.NpgsqlConnectionStringBuilder(store.ConnectionString) { ApplicationName = application }.ToString();
        var database = new PostgresStateDatabase(connectionString, [], NullLogger<PostgresStateDatabase>.Instance);
        return new PostgresStateChangeFeed(database, TimeProvider.System, NullLogger<PostgresStateChangeFeed>.Instance);
    }
}
