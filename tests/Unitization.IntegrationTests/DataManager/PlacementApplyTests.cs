using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Unitization.Host.Hosting;
using Unitization.TestUtils;
using Unitization.TestUtils.Security;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.DataManager;

/// <summary>
/// A plan change applied end to end in one process with the datamanager, replicator, router and throttle roles over
/// the shipped configuration: the plan replicates one source table to dcB (a bootstrap migration, then the mount)
/// and wants the other table's primary in dcA where the world has it in dcB (migration, write fence, switch, the old
/// copy retired). Writers write through the WebHDFS gateway all along, readers in dcA and dcB read through it, and
/// no read is ever older than the last write that finished before it started, or missing.
/// </summary>
public sealed class PlacementApplyTests : IDisposable
{
    private const string DcBClient = "10.2.0.7";
    private const string DcAClient = "10.1.0.7";
    private const string Template = """{"eventType":"COMPLETE","eventTime":"2026-12-05T06:00:00Z","run":{"runId":"RUN"},"job":{"namespace":"airflow","name":"DAG.tT"},"inputs":[{"namespace":"hive://metastore","name":"TABLE","inputFacets":{"inputStatistics":{"size":1000000000}}}],"outputs":[{"namespace":"hive://metastore","name":"mart.DAG_T","outputFacets":{"outputStatistics":{"size":1000000}}}]}""";
    private readonly TempDirectory _data = new("placement-apply");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Apply_AddReplicaAndMovePrimaryUnderReadsAndWrites_ReadersSeeOnlyFreshData()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = Guid.NewGuid().ToString("N")[..8];
        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig,
            Role.DataManager | Role.Replicator | Role.Router | Role.Throttle,
            "http://127.0.0.1:0",
            TestServers.RequireKafka(),
            _data.Path,
            new Dictionary<string, string?>
            {
                ["Router:RefreshInterval"] = "00:00:00.100",
                ["DataManager:SolverSeconds"] = "0",
                ["Replication:EventsTopic"] = "hms-events-" + id,
                ["Replication:DeadLetterTopic"] = "hms-events-dlq-" + id,
                ["Replication:ConsumerGroup"] = "apply-" + id,
            }));
        await app.StartAsync(ct);
        try
        {
            using var http = new TestHttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };

            // two DAGs, each reading one source table twice: one DAG per datacenter (1:1 shares), and the one in dcB
            // gets a replica of its source there; both sources stay primary in dcA (the metastore writes them there)
            var events = new List<string>();
            foreach (var (dag, table) in new[] { ("orders_dag", "sales.orders"), ("customers_dag", "sales.customers") })
            {
                for (var t = 1; t <= 2; t++)
                {
                    events.Add(Template.Replace("RUN", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("DAG", dag, StringComparison.Ordinal)
                        .Replace("TABLE", table, StringComparison.Ordinal).Replace(".tT", $".t{t}", StringComparison.Ordinal).Replace("_T\"", $"_{t}\"", StringComparison.Ordinal));
                }
            }

            using (var posted = await http.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), new StringContent("[" + string.Join(",", events) + "]", Encoding.UTF8, "application/json"), ct))
            {
                Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            }

            using (var refreshed = await http.PostAsync(new Uri("/api/v1/placement/refresh?wait=true", UriKind.Relative), null, ct))
            {
                Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            }

            var plan = await http.GetFromJsonAsync<JsonElement>("/api/v1/placement", ct);
            var sources = plan.GetProperty("datasets").EnumerateArray().Where(d => d.GetProperty("name").GetString()!.StartsWith("sales.", StringComparison.Ordinal)).ToList();
            Assert.All(sources, s => Assert.Equal("dcA", s.GetProperty("primary").GetString()));
            var replicated = sources.Single(s => s.GetProperty("replicas").GetArrayLength() == 1).GetProperty("name").GetString()!;
            var moved = sources.Single(s => s.GetProperty("replicas").GetArrayLength() == 0).GetProperty("name").GetString()!;
            var replicatedFile = $"/warehouse/sales/{replicated[6..]}/part-0";
            var movedPath = $"/warehouse/sales/{moved[6..]}";
            var movedFile = movedPath + "/part-0";

            // the world before: the replicated table's data in dcA (under /warehouse's mount, primary dcA); the other
            // table lives in dcB (its own mount), though the plan wants its primary in dcA
            using (var mount = await http.PutAsJsonAsync("/api/v1/mounts", new { Path = movedPath, Destinations = new[] { $"dcB:{movedPath}" } }, ct))
            {
                Assert.True(mount.IsSuccessStatusCode, await mount.Content.ReadAsStringAsync(ct));
            }

            var written = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            for (var i = 1; i <= 3; i++)
            {
                Assert.True(await WriteAsync(http, replicatedFile, i, written, ct));
                Assert.True(await WriteAsync(http, movedFile, i, written, ct));
            }

            var changes = await http.GetFromJsonAsync<JsonElement>("/api/v1/placement/changes", ct);
            var ids = changes.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
            Assert.Contains($"add-replica:hive://metastore/{replicated}:dcB", ids);
            Assert.Contains($"move-primary:hive://metastore/{moved}:dcA", ids);
            Assert.Contains($"retire-replica:hive://metastore/{moved}:dcB", ids);
            var add = changes.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("id").GetString() == $"add-replica:hive://metastore/{replicated}:dcB");
            Assert.Equal(("dcA", 64L), (add.GetProperty("from").GetString(), add.GetProperty("bytes").GetInt64()));
            Assert.True(add.GetProperty("estimatedSeconds").GetDouble() >= 0);

            using (var dry = await http.PostAsJsonAsync("/api/v1/placement/apply", new { dryRun = true }, ct))
            {
                Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
            }

            Assert.Equal(ids.Count, (await http.GetFromJsonAsync<JsonElement>("/api/v1/placement/changes", ct)).GetProperty("changes").GetArrayLength());

            // readers in both datacenters and a writer of the moved table, all through the gateway, while the apply runs
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var violations = new ConcurrentQueue<string>();
            var reads = 0;
            var fenced = 0;
            var primaries = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var writer = Task.Run(
                async () =>
                {
                    try
                    {
                        for (var i = 4; i < 100_000 && !stop.IsCancellationRequested; i++)
                        {
                            for (var attempt = 0; attempt < 100_000 && !await WriteAsync(http, movedFile, i, written, stop.Token, primaries); attempt++)
                            {
                                Interlocked.Increment(ref fenced); // writes held back by the switch: try again
                            }
                        }
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        // the apply ended
                    }
                },
                CancellationToken.None);
            var readers = new[] { (replicatedFile, DcBClient), (movedFile, DcAClient), (movedFile, DcBClient), (replicatedFile, DcAClient) }
                .Select(r => Task.Run(
                    async () =>
                    {
                        try
                        {
                            for (var n = 0; n < 100_000 && !stop.IsCancellationRequested; n++)
                            {
                                var before = written.GetValueOrDefault(r.Item1);
                                var (status, body, _) = await OpenAsync(http, r.Item1, r.Item2, stop.Token);
                                var after = written.GetValueOrDefault(r.Item1);
                                Interlocked.Increment(ref reads);
                                if (status != HttpStatusCode.OK || !long.TryParse(body.Split(':')[^1], out var seen) || seen < before || seen > after + 1)
                                {
                                    violations.Enqueue($"{r.Item2} read {r.Item1}: {status} '{body}' with writes {before}..{after} finished around it");
                                }
                            }
                        }
                        catch (OperationCanceledException) when (stop.IsCancellationRequested)
                        {
                            // the apply ended
                        }
                    },
                    CancellationToken.None))
                .ToArray();

            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(primaries.GetValueOrDefault("dcB") >= 3), TimeSpan.FromSeconds(60), ct)); // writing in the old primary
            using (var started = await http.PostAsJsonAsync("/api/v1/placement/apply", new { }, ct))
            {
                Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            }

            JsonElement run = default;
            Assert.True(
                await Eventually.TrueAsync(
                    async () => (run = await http.GetFromJsonAsync<JsonElement>("/api/v1/placement/apply", ct)).GetProperty("state").GetString() != "running",
                    TimeSpan.FromSeconds(120),
                    ct),
                "the apply did not end within 120 s");
            var duringApply = Volatile.Read(ref reads);
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref reads) >= duringApply + 20 && primaries.GetValueOrDefault("dcA") >= 3), TimeSpan.FromSeconds(60), ct)); // and after it
            await stop.CancelAsync();
            await Task.WhenAll([writer, .. readers]);

            Assert.True(run.GetProperty("state").GetString() == "done", run.ToString());
            Assert.Equal(1.0, run.GetProperty("progress").GetDouble());
            Assert.Empty(violations);
            Assert.True(duringApply > 0, "no read ran during the apply");
            Assert.True(primaries.ContainsKey("dcB") && primaries.ContainsKey("dcA"), $"the writer's writes did not span the switch: {string.Join(", ", primaries)} ({fenced} held back)");

            // the world after: the moved table is served from its new primary dcA, the replica from dcB, nothing is pending
            var mounts = await http.GetFromJsonAsync<JsonElement>("/api/v1/mounts", ct);
            var movedMount = mounts.GetProperty("mounts").EnumerateArray().Single(m => m.GetProperty("path").GetString() == movedPath);
            Assert.Equal([$"dcA:{movedPath}"], movedMount.GetProperty("destinations").EnumerateArray().Select(d => d.GetString()));
            var (_, _, servedFrom) = await OpenAsync(http, movedFile, DcAClient, ct);
            Assert.Equal("dcA", servedFrom);
            // the new replica is served once the router's replica versions refresh (until then the primary serves it)
            (string Body, string? From) replica = default;
            await Eventually.TrueAsync(
                async () =>
                {
                    var (_, body, from) = await OpenAsync(http, replicatedFile, DcBClient, ct);
                    replica = (body, from);
                    return from == "dcB";
                },
                TimeSpan.FromSeconds(30),
                ct);
            Assert.Equal(($"{replicatedFile}:3", "dcB"), replica);
            var left = await http.GetFromJsonAsync<JsonElement>("/api/v1/placement/changes", ct);
            Assert.Equal(0, left.GetProperty("changes").GetArrayLength());

            // ad-hoc placement by path: /warehouse/{db}/{table} (the shipped template) maps to the table
            using var adhoc = await http.PostAsJsonAsync("/api/v1/placement/adhoc", new { paths = new[] { replicatedFile, movedFile } }, ct);
            var answer = await adhoc.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.Equal(0, answer.GetProperty("unmatched").GetArrayLength());
            Assert.Equal([replicated, moved], answer.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    /// <summary>Writes "path:n" (64 bytes) through the gateway as a dcA client; false when the write is held back by a primary switch.</summary>
    private static async Task<bool> WriteAsync(HttpClient http, string path, long n, ConcurrentDictionary<string, long> written, CancellationToken cancellationToken, ConcurrentDictionary<string, int>? primaries = null)
    {
        using var first = await http.PutAsync(new Uri($"/webhdfs/v1{path}?op=CREATE&overwrite=true", UriKind.Relative), null, cancellationToken);
        if (first.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            return false;
        }

        Assert.Equal(HttpStatusCode.TemporaryRedirect, first.StatusCode);
        using var second = await http.PutAsync(first.Headers.Location, new StringContent($"{path}:{n}".PadLeft(64, ' ')), cancellationToken);
        if (second.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            return false;
        }

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        written[path] = n;
        if (primaries is not null && second.Headers.TryGetValues("X-Unitization-Datacenter", out var dc))
        {
            primaries.AddOrUpdate(dc.Single(), 1, (_, c) => c + 1);
        }

        return true;
    }

    private static async Task<(HttpStatusCode Status, string Body, string? Datacenter)> OpenAsync(HttpClient http, string path, string clientIp, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/webhdfs/v1{path}?op=OPEN", UriKind.Relative));
        request.Headers.Add("X-Forwarded-For", clientIp);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        return (response.StatusCode, body, response.Headers.TryGetValues("X-Unitization-Datacenter", out var dc) ? dc.Single() : null);
    }
}
