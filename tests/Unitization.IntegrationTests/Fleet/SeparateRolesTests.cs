using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Unitization.Host.Hosting;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Rules;
using Unitization.Replication.Versions;
using Unitization.TestUtils;
using Unitization.TestUtils.Security;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Fleet;

/// <summary>
/// Roles in separate hosts over one data folder and state store, as separate processes run them: the writer of the
/// namespaces (played by the test, as the replicator would be), a router-only host that follows the edit logs read-only
/// and a DataManager-only host that asks the routers (a dead one first) whether inputs are fresh, and whose rules a
/// replicator reads past a dead DataManager.
/// </summary>
public sealed class SeparateRolesTests : IDisposable
{
    private const string Orders = """{"eventType":"COMPLETE","eventTime":"2026-11-20T10:00:00Z","job":{"namespace":"airflow","name":"sales.daily"},"inputs":[{"namespace":"hive://metastore","name":"sales.orders","inputFacets":{"inputStatistics":{"size":7000}}}],"outputs":[{"namespace":"hive://metastore","name":"sales.revenue","outputFacets":{"outputStatistics":{"size":70}}}]}""";
    private const string Table = "/warehouse/sales/orders";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _data = new("separate-roles");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task RouterOnly_FollowsTheWritersEditLogWithoutItsLock_AnswersFreshnessAndRefusesWrites()
    {
        using var writer = new NamespaceCatalog(Topology(), TimeProvider.System);
        await PutAsync(writer, "dcA", Table + "/part-0", "v1");
        var router = await StartAsync(Role.Router, []);
        try
        {
            using var http = Client(router);
            Assert.False(await FreshAsync(http, "dcB"));
            Assert.True(await FreshAsync(http, "dcA"));

            // the replicator copies the table and records its version; the router sees the commit from the shared store
            var copiedAt = writer.Get("dcA").LastTxId;
            await PutAsync(writer, "dcB", Table + "/part-0", "v1");
            await router.Services.GetRequiredService<IReplicaVersionStore>().RecordAsync(new ReplicaVersion("dcB", Table, copiedAt, DateTimeOffset.UnixEpoch), Ct);
            Assert.True(await Eventually.TrueAsync(() => FreshAsync(http, "dcB"), Deadline, Ct), "the replica never read as fresh");

            // the primary moves on in the writer's process: the router follows its edit log and the replica is stale
            await PutAsync(writer, "dcA", Table + "/part-1", "v2");
            Assert.True(await Eventually.TrueAsync(async () => !await FreshAsync(http, "dcB"), Deadline, Ct), "a stale replica still read as fresh");

            using var write = await http.PutAsync(new Uri($"/webhdfs/v1{Table}/x?op=MKDIRS", UriKind.Relative), null, Ct);
            var body = await write.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
            Assert.Contains("StandbyException", body, StringComparison.Ordinal);
            using var bad = await http.GetAsync(new Uri("/api/v1/router/freshness?datasetNamespace=hive%3A%2F%2Fmetastore&datasetName=sales.orders&datacenter=dcZ", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("'datacenter'", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(router);
        }
    }

    [Fact]
    public async Task DataManagerOnly_AsksTheRoutersPastADeadOne_ReadinessIsKnownAndFollowsTheRouter()
    {
        using var writer = new NamespaceCatalog(Topology(), TimeProvider.System);
        await PutAsync(writer, "dcA", Table + "/part-0", "v1");
        var router = await StartAsync(Role.Router, []);
        var dead = $"http://127.0.0.1:{FreePort()}/";
        // the one comma-separated string (as an environment variable gives it) here, the array form for the orphan
        var dataManager = await StartAsync(Role.DataManager, new() { ["DataManager:RouterUrls"] = $"{dead}, {router.Urls.First()}/" });
        var orphan = await StartAsync(Role.DataManager, new() { ["DataManager:RouterUrls:0"] = dead, ["StateStore:Path"] = "orphan.db" });
        try
        {
            using var routerHttp = Client(router);
            using var http = Client(dataManager);
            using var orphanHttp = Client(orphan);
            foreach (var client in new[] { http, orphanHttp })
            {
                using var posted = await client.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), new StringContent(Orders, Encoding.UTF8, "application/json"), Ct);
                Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
                using var refreshed = await client.PostAsync(new Uri("/api/v1/placement/refresh?wait=true", UriKind.Relative), null, Ct);
                Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            }

            var job = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement/jobs/airflow/sales.daily", UriKind.Relative), Ct);
            var datacenter = job.GetProperty("datacenter").GetString()!;
            Assert.NotEqual("unknown", job.GetProperty("readiness").GetString());
            Assert.Equal(await FreshAsync(routerHttp, datacenter), job.GetProperty("ready").GetBoolean());

            // no router answers: unknown, saying why, never a guess
            var unanswered = await orphanHttp.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement/jobs/airflow/sales.daily", UriKind.Relative), Ct);
            Assert.Equal("unknown", unanswered.GetProperty("readiness").GetString());
            Assert.Contains("no router answered", unanswered.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(orphan);
            await StopAsync(dataManager);
            await StopAsync(router);
        }
    }

    [Fact]
    public async Task ReplicatorRulesSource_FirstDataManagerDead_ReadsTheOthersRules()
    {
        var dataManager = await StartAsync(Role.DataManager, []);
        try
        {
            using var http = Client(dataManager);
            using var posted = await http.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), new StringContent(Orders, Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            using var refreshed = await http.PostAsync(new Uri("/api/v1/placement/refresh?wait=true", UriKind.Relative), null, Ct);
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            var served = await http.GetStringAsync(new Uri("/api/v1/replication/rules", UriKind.Relative), Ct);

            // the single-string form with a comma, as an environment variable would carry it: a dead DataManager first
            var options = new Unitization.Replication.ReplicationOptions();
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RulesUrl"] = $"http://127.0.0.1:{FreePort()}/,{dataManager.Urls.First()}" })
                .Build().Bind(options);
            using var rulesHttp = new TestHttpClient();
            var source = new HttpReplicationRuleSource(rulesHttp, Options.Create(options), TimeProvider.System);

            var rules = await source.GetRulesAsync(Ct);

            var expected = JsonSerializer.Deserialize<List<Unitization.DataManager.Rules.ReplicationRule>>(served, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            Assert.Equal(expected.Select(Describe), rules.Select(Describe));
        }
        finally
        {
            await StopAsync(dataManager);
        }
    }

    private static string Describe(Unitization.DataManager.Rules.ReplicationRule rule) =>
        $"{rule.DatasetNamespace} {rule.DatasetName} {rule.Primary} -> {string.Join(',', rule.Targets)} priority {rule.Priority}";

    private static async Task<bool> FreshAsync(HttpClient http, string datacenter)
    {
        var answer = await http.GetFromJsonAsync<JsonElement>(
            new Uri($"/api/v1/router/freshness?datasetNamespace=hive%3A%2F%2Fmetastore&datasetName=sales.orders&datacenter={datacenter}", UriKind.Relative), Ct);
        return answer.GetProperty("fresh").GetBoolean();
    }

    private static Task PutAsync(NamespaceCatalog catalog, string datacenter, string path, string content) =>
        catalog.Get(datacenter).CreateAsync(path, (s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(content), ct).AsTask(), overwrite: true, Ct);

    private TopologyOptions Topology() => new()
    {
        DataFolder = _data.Path,
        Datacenters = [new DatacenterOptions { Id = "dcA", Root = "dcA" }, new DatacenterOptions { Id = "dcB", Root = "dcB" }],
    };

    private async Task<WebApplication> StartAsync(Role role, Dictionary<string, string?> overrides)
    {
        overrides["Router:RefreshInterval"] = "00:00:00.100";
        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig, role, "http://127.0.0.1:0", TestServers.Kafka ?? "127.0.0.1:9", _data.Path, overrides));
        await app.StartAsync(Ct);
        return app;
    }

    private static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync(Ct);
        await app.DisposeAsync();
    }

    private static HttpClient Client(WebApplication app) => new TestHttpClient { BaseAddress = new Uri(app.Urls.First()) };

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
