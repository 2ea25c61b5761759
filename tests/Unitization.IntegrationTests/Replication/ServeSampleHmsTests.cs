using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Unitization.Host.Hosting;
using Unitization.Namespaces;
using Unitization.SampleHms;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Replication;

/// <summary>
/// <c>serve --sample-hms</c> with the shipped config: the sample HMS writes sales.orders in dcA through the host's own
/// namespaces (the host holds dcA's writer lock), and the replicator copies it to dcB by the pinned rule.
/// </summary>
public sealed class ServeSampleHmsTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _data = new("serve-hms");
    private readonly string _topic = "hms-events-serve-" + Guid.NewGuid().ToString("N")[..8];

    // Quarantined: flaky in CI (after the restart no commit record arrived within the deadline in 1 of 4 runs); run it
    // with `dotnet test tests/Unitization.IntegrationTests -- xUnit.Explicit=on`. The demo path is checked by infra/up.sh.
    [Fact(Explicit = true)]
    public async Task Serve_SampleHms_ReplicatesPinnedTableToDcB_AlsoAfterRestart()
    {
        var ct = TestContext.Current.CancellationToken;
        // topics and consumer group of its own: other tests' hosts use the shipped config's on the same broker
        await ReplicationStack.CreateTopicAsync(_topic, 6, ct);
        await ReplicationStack.CreateTopicAsync(_topic + "-dlq", 1, ct);
        var uriFile = Path.Combine(_data.Path, "sample-hms.uri");
        var (first, _) = await RunUntilReplicatedAsync(above: 1, ct);
        Assert.False(File.Exists(uriFile), "the sample HMS's address file outlived the service");
        var lastEventId = long.Parse(await File.ReadAllTextAsync(Path.Combine(_data.Path, "sample-hms.last-event-id"), ct), CultureInfo.InvariantCulture);

        // restarted over the same data folder: the in-memory catalog's event ids continue past the pump's checkpoint
        var (second, firstEventId) = await RunUntilReplicatedAsync(above: first, ct);
        Assert.True(second > first);
        Assert.Equal(lastEventId + 1, firstEventId);
    }

    /// <summary>
    /// Serves until dcB's commit record of the table is above <paramref name="above"/>; returns its txid and the id of
    /// the sample HMS's first event in this run.
    /// </summary>
    private async Task<(long TxId, long FirstEventId)> RunUntilReplicatedAsync(long above, CancellationToken ct)
    {
        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig,
            RoleList.Parse("datamanager,replicator"),
            "http://127.0.0.1:0",
            TestServers.RequireKafka(),
            _data.Path,
            new Dictionary<string, string?>
            {
                ["Replication:EventsTopic"] = _topic,
                ["Replication:DeadLetterTopic"] = _topic + "-dlq",
                ["Replication:ConsumerGroup"] = _topic,
            },
            new SampleHmsSettings(TimeSpan.FromMilliseconds(200))));
        await app.StartAsync(ct);
        try
        {
            Assert.StartsWith("thrift://127.0.0.1:", await File.ReadAllTextAsync(Path.Combine(_data.Path, "sample-hms.uri"), ct), StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var versions = new Uri("/api/v1/replication/versions?datacenter=dcB&prefix=/warehouse", UriKind.Relative);
            JsonElement records = default;
            long txid = 0;
            var replicated = await Eventually.TrueAsync(
                async () =>
                {
                    records = await http.GetFromJsonAsync<JsonElement>(versions, ct);
                    txid = records.EnumerateArray()
                        .Where(r => r.GetProperty("path").GetString() == "/warehouse/sales/orders")
                        .Select(r => r.GetProperty("sourceTxId").GetProperty("value").GetInt64())
                        .DefaultIfEmpty(0)
                        .Max();
                    return txid > above;
                },
                Deadline,
                ct);
            Assert.True(replicated, $"no commit record for /warehouse/sales/orders in dcB above txid {above}: {records}");
            var dcB = app.Services.GetRequiredService<INamespaceCatalog>().Get("dcB");
            Assert.NotNull(await dcB.GetStatusAsync("/warehouse/sales/orders/part-00000", ct));
            var hms = app.Services.GetServices<IHostedService>().OfType<SampleHmsService>().Single();
            return (txid, hms.Catalog.EventsAfter(0, 1)[0].EventId);
        }
        finally
        {
            await app.StopAsync(ct);
            await app.DisposeAsync();
        }
    }

    public void Dispose() => _data.Dispose();
}
