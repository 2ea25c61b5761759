using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Unitization.StateStore;
using Unitization.TestUtils;
using Unitization.TestUtils.StateStore;

namespace Unitization.StateStore.Tests;

public sealed class StateStoreHealthCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new("state-health");

    [Fact]
    public async Task CheckHealthAsync_StoreAnswers_Healthy()
    {
        var database = new SqliteStateDatabase(_dir.Combine("state.db"), [], NullLogger<SqliteStateDatabase>.Instance);

        var result = await new StateStoreHealthCheck(database).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task CheckHealthAsync_StoreCannotOpen_DegradedWithTheStoresError()
    {
        // the database path is a directory: SQLite cannot open it, as with an unreadable file or a full disk
        var path = _dir.Combine("a-directory");
        Directory.CreateDirectory(path);
        var database = new SqliteStateDatabase(path, [], NullLogger<SqliteStateDatabase>.Instance);

        var result = await new StateStoreHealthCheck(database).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("state store does not answer", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_PostgresAnswers_HealthyNamingTheProvider()
    {
        await using var store = await TestStateStore.CreateAsync(StateProviders.PostgreSql, TestContext.Current.CancellationToken);

        var result = await new StateStoreHealthCheck(store.OpenAnother([])).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Contains("postgresql", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_PostgresUnreachable_Degraded()
    {
        // nothing listens on port 1 of loopback: the connection is refused at once
        await using var database = new PostgresStateDatabase("Host=127.0.0.1;Port=1;Username=postgres;Timeout=2", [], NullLogger<PostgresStateDatabase>.Instance);

        var result = await new StateStoreHealthCheck(database).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("postgresql state store does not answer", result.Description, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
