using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Unitization.Host.Hosting;
using Unitization.Namespaces;
using Unitization.Replication.Versions;
using Unitization.TestUtils;
using Unitization.TestUtils.Security;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Router;

/// <summary>
/// The router role in a real host over real HTTP, with the shipped configuration: local namespaces with edit logs,
/// the SQLite state store (replica versions, mounts), the WebHDFS gateway. The test plays the replicator: it copies a
/// file into dcB and records the commit in the real replica version store.
/// </summary>
public sealed class RouterServeTests : IDisposable
{
    private const string DcBClient = "10.2.0.7";
    private readonly TempDirectory _data = new("router");

    public void Dispose() => _data.Dispose();

    private async Task<WebApplication> StartAsync(string? kafka = null)
    {
        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig, Role.Router, "http://127.0.0.1:0", kafka ?? TestServers.Kafka ?? "127.0.0.1:9", _data.Path,
            new Dictionary<string, string?>
            {
                ["Router:RefreshInterval"] = "00:00:00.100",
                ["NamespaceAccess"] = "write",
                // the tests' client stands for a gateway trusted to name the job it reads for (X-Job-Id)
                ["Router:WebHdfs:JobGateways:0"] = "token:test-admin",
            }));
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    private static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync(TestContext.Current.CancellationToken);
        await app.DisposeAsync();
    }

    private static HttpClient Client(WebApplication app) =>
        new TestHttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Urls.First()) };

    private static async Task<JsonElement> ResolveAsync(HttpClient http, string path, string clientIp)
    {
        using var response = await http.GetAsync(new Uri($"/api/v1/resolve?path={Uri.EscapeDataString(path)}&clientIp={clientIp}", UriKind.Relative), TestContext.Current.CancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private static async Task<(HttpResponseMessage Response, string Body)> OpenAsync(HttpClient http, string path, string forwardedFor, string job = "integration.reader")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/webhdfs/v1{path}?op=OPEN", UriKind.Relative));
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Job-Id", job);
        var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static async Task CreateThroughGatewayAsync(HttpClient http, string path, string content)
    {
        using var first = await http.PutAsync(new Uri($"/webhdfs/v1{path}?op=CREATE&overwrite=true", UriKind.Relative), null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, first.StatusCode);
        using var second = await http.PutAsync(first.Headers.Location, new StringContent(content), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
    }

    [Fact]
    public async Task Read_ReplicatedThenLagging_ServedFromDcBThenFromPrimaryWithTheReason()
    {
        var app = await StartAsync();
        try
        {
            using var http = Client(app);
            var catalog = app.Services.GetRequiredService<INamespaceCatalog>();
            var versions = app.Services.GetRequiredService<IReplicaVersionStore>();
            const string File = "/warehouse/sales/orders/part-0";
            await CreateThroughGatewayAsync(http, File, "v1");

            // the replicator: the primary's txid first, then the copy, then the commit record
            var copiedAt = catalog.Get("dcA").LastTxId;
            await catalog.Get("dcB").CreateAsync(File, (s, ct) => s.WriteAsync("v1"u8.ToArray(), ct).AsTask(), overwrite: true, TestContext.Current.CancellationToken);
            await versions.RecordAsync(new ReplicaVersion("dcB", "/warehouse/sales/orders", copiedAt, DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken);

            Assert.True(await Eventually.TrueAsync(async () => (await ResolveAsync(http, File, DcBClient)).GetProperty("datacenter").GetString() == "dcB", TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
            var fresh = await ResolveAsync(http, File, DcBClient);
            Assert.Equal(("FreshReplica", true, "dcB", "/warehouse/sales/orders/part-0"), (fresh.GetProperty("reason").GetString(), fresh.GetProperty("fresh").GetBoolean(), fresh.GetProperty("namespace").GetString(), fresh.GetProperty("physicalPath").GetString()));
            var (local, localBody) = await OpenAsync(http, File, DcBClient);
            Assert.Equal(("v1", "dcB"), (localBody, local.Headers.GetValues("X-Unitization-Datacenter").Single()));

            // the primary moves on; the replica lags
            await CreateThroughGatewayAsync(http, File, "v2");
            Assert.True(await Eventually.TrueAsync(async () => (await ResolveAsync(http, File, DcBClient)).GetProperty("reason").GetString() == "StaleReplica", TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
            var stale = await ResolveAsync(http, File, DcBClient);
            Assert.Equal("dcA", stale.GetProperty("datacenter").GetString());
            Assert.Contains("stale", stale.GetProperty("explanation").GetString(), StringComparison.Ordinal);
            var (remote, remoteBody) = await OpenAsync(http, File, DcBClient);
            Assert.Equal(("v2", "dcA"), (remoteBody, remote.Headers.GetValues("X-Unitization-Datacenter").Single()));
        }
        finally
        {
            await StopAsync(app);
        }
    }

    [Fact]
    public async Task Mounts_PutDeleteThroughTheApi_ApplyAtOnceAndSurviveARestart()
    {
        var app = await StartAsync();
        try
        {
            using var http = Client(app);
            using var put = await http.PutAsJsonAsync(new Uri("/api/v1/mounts", UriKind.Relative), new { path = "/scratch", follow = true }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal("dcB", (await ResolveAsync(http, "/scratch/job-1/x", DcBClient)).GetProperty("datacenter").GetString());

            using var archive = await http.PutAsJsonAsync(new Uri("/api/v1/mounts", UriKind.Relative), new { path = "/archive", readOnly = true, destinations = new[] { "dcB:/archive" } }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
            using var refused = await http.PutAsync(new Uri("/webhdfs/v1/archive/x?op=CREATE&data=true", UriKind.Relative), new StringContent("x"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var remote = (await refused.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("RemoteException");
            Assert.Equal("org.apache.hadoop.security.AccessControlException", remote.GetProperty("javaClassName").GetString());

            using var bad = await http.PutAsJsonAsync(new Uri("/api/v1/mounts", UriKind.Relative), new { path = "/x", destinations = new[] { "dcQ:/x" } }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("dcQ", await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            using var configured = await http.DeleteAsync(new Uri("/api/v1/mounts?path=/warehouse", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Conflict, configured.StatusCode);
        }
        finally
        {
            await StopAsync(app);
        }

        app = await StartAsync();
        try
        {
            using var http = Client(app);
            var mounts = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/mounts", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Contains(mounts.GetProperty("mounts").EnumerateArray(), m => m.GetProperty("path").GetString() == "/scratch" && m.GetProperty("source").GetString() == "api");
            Assert.True(await Eventually.TrueAsync(async () => (await ResolveAsync(http, "/scratch/x", DcBClient)).GetProperty("datacenter").GetString() == "dcB", TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
            using var deleted = await http.DeleteAsync(new Uri("/api/v1/mounts?path=/scratch", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            using var gone = await http.GetAsync(new Uri("/api/v1/resolve?path=/scratch/x", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        finally
        {
            await StopAsync(app);
        }
    }

    [Fact]
    public async Task Versions_Restart_ResumesFromTheStateStoreCheckpointWithTheSameVersions()
    {
        const string File = "/warehouse/sales/orders/part-0";
        JsonElement before;
        long lastTxId;
        var app = await StartAsync();
        try
        {
            using var http = Client(app);
            await CreateThroughGatewayAsync(http, File, "v1");
            await CreateThroughGatewayAsync(http, "/warehouse/sales/items/part-0", "v1");
            lastTxId = app.Services.GetRequiredService<INamespaceCatalog>().Get("dcA").LastTxId.Value;
            Assert.True(await Eventually.TrueAsync(async () => (await ResolveAsync(http, File, "10.1.0.1")).GetProperty("version").GetInt64() > 0, TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
            before = await ResolveAsync(http, File, "10.1.0.1");
            var status = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/router/status", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(0, EditLog(status, "dcA").GetProperty("resumedFromTxId").GetInt64()); // first start: replayed from txid 0
        }
        finally
        {
            await StopAsync(app); // saves the checkpoint
        }

        app = await StartAsync();
        try
        {
            using var http = Client(app);
            Assert.True(await Eventually.TrueAsync(
                async () => EditLog(await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/router/status", UriKind.Relative), TestContext.Current.CancellationToken), "dcA").GetProperty("resumedFromTxId").GetInt64() == lastTxId,
                TimeSpan.FromSeconds(20),
                TestContext.Current.CancellationToken));
            var after = await ResolveAsync(http, File, "10.1.0.1");
            Assert.Equal((before.GetProperty("version").GetInt64(), "PrimaryInClientDatacenter"), (after.GetProperty("version").GetInt64(), after.GetProperty("reason").GetString()));
        }
        finally
        {
            await StopAsync(app);
        }
    }

    private static JsonElement EditLog(JsonElement status, string datacenter) =>
        status.GetProperty("editLogs").EnumerateArray().Single(e => e.GetProperty("datacenter").GetString() == datacenter);

    [Fact]
    public async Task Resolve_Batch_AnswersEachPath()
    {
        var app = await StartAsync();
        try
        {
            using var http = Client(app);
            using var response = await http.PostAsJsonAsync(new Uri("/api/v1/resolve", UriKind.Relative), new
            {
                requests = new object[]
                {
                    new { path = "/warehouse/a", clientIp = "10.1.0.1" },
                    new { path = "/warehouse/a", clientIp = DcBClient },
                    new { path = "/nowhere", clientIp = DcBClient },
                    new { path = "relative", clientIp = DcBClient },
                },
            }, TestContext.Current.CancellationToken);
            var results = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(4, results.Count);
            Assert.Equal("PrimaryInClientDatacenter", results[0].GetProperty("reason").GetString());
            Assert.Equal("NoReplicaVersion", results[1].GetProperty("reason").GetString());
            Assert.Equal("NoMount", results[2].GetProperty("reason").GetString());
            Assert.Contains("absolute", results[3].GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(app);
        }
    }

    [Fact]
    public async Task Open_CrossDatacenter_PublishesATrafficRecordToKafka()
    {
        var kafka = TestServers.RequireKafka();
        var app = await StartAsync(kafka);
        try
        {
            using var http = Client(app);
            var path = $"/warehouse/traffic/{Guid.NewGuid():N}";
            await CreateThroughGatewayAsync(http, path, "twelve bytes");
            var job = "integration.traffic." + Guid.NewGuid().ToString("N");
            var (response, body) = await OpenAsync(http, path, DcBClient, job);
            Assert.Equal(("twelve bytes", "dcA"), (body, response.Headers.GetValues("X-Unitization-Datacenter").Single()));

            using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
            {
                BootstrapServers = kafka,
                GroupId = "router-test-" + Guid.NewGuid().ToString("N"),
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
            }).Build();
            consumer.Subscribe("traffic");
            JsonElement? found = null;
            var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
            while (found is null && DateTimeOffset.UtcNow < deadline)
            {
                var message = consumer.Consume(TimeSpan.FromMilliseconds(500));
                if (message?.Message.Value is { } value && value.Contains(job, StringComparison.Ordinal))
                {
                    found = JsonDocument.Parse(value).RootElement.Clone();
                }
            }

            consumer.Close();
            Assert.True(found.HasValue, "no traffic record for the cross-datacenter read reached the 'traffic' topic within 60 s");
            var record = found.Value;
            Assert.Equal(
                (job, "dcA", "dcB", 12L, "router"),
                (record.GetProperty("job").GetString(), record.GetProperty("sourceDatacenter").GetString(), record.GetProperty("destinationDatacenter").GetString(),
                    record.GetProperty("bytes").GetInt64(), record.GetProperty("component").GetString()));
        }
        finally
        {
            await StopAsync(app);
        }
    }
}
