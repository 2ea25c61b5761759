using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Confluent.Kafka;
using Npgsql;
using Unitization.Analytics.Traffic;
using Unitization.IntegrationTests.Replication;
using Unitization.StateStore;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;
using Unitization.TestUtils.StateStore;

namespace Unitization.IntegrationTests.Fleet;

/// <summary>
/// Issue 18's acceptance: a fleet of real processes, two of every role (<c>unitization serve --roles R</c>) over one
/// PostgreSQL state store, the dev Kafka broker and ClickHouse, while the demo workload runs (the HMS adding and
/// overwriting partitions in dcA, a dcB reader asking the routers, jobs publishing traffic, the scheduled jobs, an API
/// migration). Three rounds kill -9 one process of each role at random points (seeded: UNITIZATION_KILL_SEED, printed)
/// and restart it. Then: every HMS event applied (dcB's replica versions reach the primary's writes, the trees are
/// equal), every traffic record stored exactly once, no read sent to a replica older than the primary was when it was
/// asked, each scheduled job fired once per trigger (a firing killed mid-run runs again as a recovery), the migration
/// byte-identical, and after each kill the surviving processes healthy within 15 s.
/// </summary>
public sealed class FleetKillTests : IAsyncDisposable
{
    private const int Rounds = 3;
    private const string History = "/warehouse/archive/events";
    private const string Orders = "/warehouse/sales/orders";
    private const string TestProducer = "fleet-test";
    private static readonly string[] Roles = ["throttle", "datamanager", "router", "replicator", "analytics"];
    private static readonly TimeSpan SurvivorsHealthy = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _data = new("fleet-kill");
    private readonly string _run = "fleet" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<FleetProcess> _fleet = [];
    private TestStateStore? _store;
    private FleetWorkload? _workload;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fleet_KillOneProcessOfEachRoleThreeRounds_NothingLostDuplicatedOrStaleAndSurvivorsHealthy()
    {
        var kafka = TestServers.RequireKafka();
        var clickHouse = new Uri(TestServers.RequireClickHouse());
        _store = await TestStateStore.CreateAsync(StateProviders.PostgreSql, Ct);
        var seed = Environment.GetEnvironmentVariable("UNITIZATION_KILL_SEED") is { } s && int.TryParse(s, CultureInfo.InvariantCulture, out var given) ? given : Random.Shared.Next();
        var random = new Random(seed);
        Log($"seed {seed} (UNITIZATION_KILL_SEED={seed} repeats the kill points), run {_run}, data {_data.Path}");

        foreach (var (topic, partitions) in new[] { (Topic("hms"), 6), (Topic("hms") + "-dlq", 1), (Topic("traffic"), 3), (Topic("traffic") + "-dlq", 1) })
        {
            await ReplicationStack.CreateTopicAsync(topic, partitions, Ct);
        }

        _workload = new FleetWorkload(_data.Path, random.Next());
        await _workload.CreateTableAsync(Ct);
        await _workload.WriteTreeAsync(History, files: 24, bytesPerFile: 256 * 1024, Ct);
        var producerKey = RandomNumberGenerator.GetBytes(32);
        StartFleet(kafka, clickHouse, producerKey);
        await WaitAllHealthyAsync(Startup, "at start");

        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = kafka, Acks = Acks.All, LingerMs = 5 }).Build();
        _workload.Start(() => Of("router"), producer, Topic("traffic"), new TrafficProvenance(TestProducer, new Dictionary<string, byte[]> { [TestProducer] = producerKey }), _run);
        var migration = await StartMigrationAsync();

        for (var round = 1; round <= Rounds; round++)
        {
            await WaitAsync(TimeSpan.FromMilliseconds(random.Next(1_000, 4_000)));
            var killed = new List<FleetProcess>();
            foreach (var role in Roles.OrderBy(_ => random.Next()).ToList())
            {
                await WaitAsync(TimeSpan.FromMilliseconds(random.Next(0, 700)));
                var victim = Of(role)[random.Next(2)];
                victim.Kill();
                killed.Add(victim);
                Log($"round {round}: killed {victim.Name} ({_workload})");
                var survivors = _fleet.Where(p => !killed.Contains(p)).ToList();
                var healthy = await Eventually.TrueAsync(async () => (await Task.WhenAll(survivors.Select(p => p.HealthyAsync(Ct)))).All(h => h), SurvivorsHealthy, Ct);
                Assert.True(healthy, $"seed {seed}, round {round}: after killing {victim.Name}, not healthy within 15 s: " +
                    string.Join(", ", await UnhealthyAsync(survivors)) + "\n" + string.Join("\n", survivors.Select(p => p.Tail(15))));
            }

            foreach (var victim in killed)
            {
                victim.Start();
            }

            await WaitAllHealthyAsync(Startup, $"seed {seed}, after round {round}'s restarts");
        }

        await _workload.StopAsync();
        Log($"workload stopped: {_workload}");

        var said = $"seed {seed}";
        Assert.Empty(_workload.StaleReads);
        Assert.True(_workload.ReadsFromDcB > 0, $"{said}: no read was sent to dcB ({_workload}): the stale-read check checked nothing");
        await AssertEveryEventAppliedAsync(said);
        await AssertMigrationByteIdenticalAsync(migration, said);
        await AssertTrafficStoredOnceAsync(clickHouse, said);
        await AssertScheduledJobsFiredOncePerTriggerAsync(said);
        await WaitAllHealthyAsync(SurvivorsHealthy, $"{said}, at the end");
    }

    private void StartFleet(string kafka, Uri clickHouse, byte[] producerKey)
    {
        string[] arguments = ["serve", "--config", RepositoryPaths.ShippedConfig, "--data", _data.Path, "--kafka", kafka];
        var environment = new Dictionary<string, string?>();
        foreach (var role in Roles)
        {
            for (var i = 1; i <= 2; i++)
            {
                _fleet.Add(new FleetProcess($"{role}-{i}", role, arguments, environment));
            }
        }

        var serviceKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["StateStore:Provider"] = StateProviders.PostgreSql,
            ["StateStore:ConnectionString"] = _store!.ConnectionString,
            // the HMS's workload in this process writes dcA; every process follows it, the replicators write dcB
            ["Datacenters:0:Access"] = "follow",
            ["Replication:MetastoreUri"] = _workload!.Metastore.Uri,
            ["Replication:EventsTopic"] = Topic("hms"),
            ["Replication:DeadLetterTopic"] = Topic("hms") + "-dlq",
            ["Replication:ConsumerGroup"] = Topic("hms"),
            ["Replication:ConsumerSessionTimeout"] = "00:00:06",
            ["Replication:MaxBackoff"] = "00:00:01",
            ["Replication:MigrationLease"] = "00:00:02",
            ["Replication:LifecycleInterval"] = "00:00:02",
            ["Replication:RulesUrl:0"] = Of("datamanager")[0].Url.ToString(),
            ["Replication:RulesUrl:1"] = Of("datamanager")[1].Url.ToString(),
            // every throttle instance: the leader of the link budgets grants, a standby sends its clients on
            ["Throttle:ServiceUrl"] = string.Join(",", Of("throttle").Select(p => p.Url.ToString())),
            // a slow link: the migration is still running when the kills come
            ["Throttle:Links:0:BytesPerSecond"] = "2000000",
            ["DataManager:RouterUrls:0"] = Of("router")[0].Url.ToString(),
            ["DataManager:RouterUrls:1"] = Of("router")[1].Url.ToString(),
            ["DataManager:RefreshCron"] = "0/3 * * * * ?",
            ["DataManager:SolverSeconds"] = "0",
            ["Router:RefreshInterval"] = "00:00:00.200",
            ["Analytics:ClickHouseUrl"] = clickHouse.ToString(),
            ["Analytics:Database"] = _run,
            ["Analytics:TrafficTopic"] = Topic("traffic"),
            ["Analytics:DeadLetterTopic"] = Topic("traffic") + "-dlq",
            ["Analytics:ConsumerGroup"] = Topic("traffic"),
            ["Analytics:ConsumerSessionTimeoutMilliseconds"] = "6000",
            ["Analytics:Provenance:Producer"] = "unitization",
            ["Analytics:Provenance:Keys:unitization"] = serviceKey,
            [$"Analytics:Provenance:Keys:{TestProducer}"] = Convert.ToBase64String(producerKey),
        })
        {
            environment["UNITIZATION_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var process in _fleet)
        {
            process.Start();
        }
    }

    private async Task<string> StartMigrationAsync()
    {
        string? id = null;
        var accepted = await Eventually.TrueAsync(
            async () =>
            {
                foreach (var replicator in Of("replicator"))
                {
                    try
                    {
                        using var response = await replicator.Http.PostAsJsonAsync(new Uri("/api/v1/migrations", UriKind.Relative), new { source = $"dcA:{History}", target = "dcB", rate = "400KB" }, Ct);
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            id = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
                            return true;
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // the next replicator
                    }
                }

                return false;
            },
            Settle,
            Ct);
        Assert.True(accepted, "no replicator accepted the migration:\n" + string.Join("\n", Of("replicator").Select(p => p.Tail())));
        return id!;
    }

    /// <summary>Every partition's replica in dcB at least as new as its last write in dcA, and dcB's files equal to dcA's.</summary>
    private async Task AssertEveryEventAppliedAsync(string said)
    {
        var expected = _workload!.LastWrites.ToDictionary();
        Dictionary<string, long> versions = [];
        var applied = await Eventually.TrueAsync(
            async () =>
            {
                versions = await ReplicaVersionsAsync(Orders);
                return expected.All(w => versions.GetValueOrDefault(w.Key) >= w.Value);
            },
            Settle,
            Ct);
        var behind = expected.Where(w => versions.GetValueOrDefault(w.Key) < w.Value).Select(w => $"{w.Key}: dcB at {versions.GetValueOrDefault(w.Key)}, dcA wrote {w.Value}");
        Assert.True(applied, $"{said}: HMS events not applied in dcB after {Settle.TotalSeconds} s: {string.Join("; ", behind)}\n" +
            string.Join("\n", Of("replicator").Select(p => p.Tail())));
        Assert.Equal(Tree("dcA", Orders), Tree("dcB", Orders));
        Log($"HMS: {expected.Count} partitions (last event {_workload.Catalog.CurrentEventId}) applied in dcB, trees equal");
    }

    private async Task AssertMigrationByteIdenticalAsync(string id, string said)
    {
        var phase = "unknown";
        var done = await Eventually.TrueAsync(
            async () =>
            {
                foreach (var replicator in Of("replicator"))
                {
                    try
                    {
                        var jobs = await replicator.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/migrations", UriKind.Relative), Ct);
                        var job = jobs.EnumerateArray().FirstOrDefault(j => j.GetProperty("id").GetString() == id);
                        phase = job.ValueKind == JsonValueKind.Object ? job.GetProperty("phase").GetString() ?? "null" : "missing";
                        return phase == "done";
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // the other replicator
                    }
                }

                return false;
            },
            Settle,
            Ct);
        Assert.True(done, $"{said}: migration {id} is '{phase}', not done\n" + string.Join("\n", Of("replicator").Select(p => p.Tail())));
        Assert.Equal(Tree("dcA", History), Tree("dcB", History));
        Log($"migration {id} done, {Tree("dcB", History).Count} files byte-identical");
    }

    /// <summary>Every record the jobs published is in ClickHouse once, and no record id (the service's own included) twice.</summary>
    private async Task AssertTrafficStoredOnceAsync(Uri clickHouse, string said)
    {
        using var http = new HttpClient { BaseAddress = clickHouse, Timeout = TimeSpan.FromSeconds(30) };
        var published = _workload!.TrafficIds.Count;
        long ours = 0;
        var stored = await Eventually.TrueAsync(
            async () =>
            {
                ours = long.Parse(await QueryAsync(http, $"SELECT uniqExact(id) FROM {_run}.traffic WHERE startsWith(id, '{_run}-')"), CultureInfo.InvariantCulture);
                return ours >= published;
            },
            Settle,
            Ct);
        Assert.True(stored, $"{said}: {ours} of {published} traffic records in ClickHouse\n" + string.Join("\n", Of("analytics").Select(p => p.Tail())));
        var duplicated = await QueryAsync(http, $"SELECT id, count() AS n FROM {_run}.traffic GROUP BY id HAVING n > 1 LIMIT 10");
        Assert.True(duplicated.Length == 0, $"{said}: traffic records stored more than once (id, count): {duplicated}");
        Assert.Equal(published.ToString(CultureInfo.InvariantCulture), await QueryAsync(http, $"SELECT count() FROM {_run}.traffic WHERE startsWith(id, '{_run}-')"));
        var copies = long.Parse(await QueryAsync(http, $"SELECT count() FROM {_run}.traffic WHERE component = 'replicator'"), CultureInfo.InvariantCulture);
        Assert.True(copies > 0, $"{said}: no replicator traffic (the copies' records) in ClickHouse");
        Log($"traffic: {published} records published, each stored once; {copies} copy records of the replicators, none twice");
    }

    /// <summary>Each scheduled job's firings (recorded in the state store): one per scheduled time, none skipped between the first and the last.</summary>
    private async Task AssertScheduledJobsFiredOncePerTriggerAsync(string said)
    {
        var firings = new List<(string Job, DateTimeOffset Scheduled, string Instance, bool Recovering)>();
        await using (var connection = new NpgsqlConnection(_store!.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand("SELECT job, scheduled_at, instance, recovering FROM scheduler_firings ORDER BY job, scheduled_at", connection);
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                firings.Add((reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2), reader.GetInt32(3) == 1));
            }
        }

        var expected = new Dictionary<string, TimeSpan> { ["replication.replication-lifecycle"] = TimeSpan.FromSeconds(2), ["datamanager.datamanager-refresh-plan"] = TimeSpan.FromSeconds(3) };
        foreach (var (job, interval) in expected)
        {
            var times = firings.Where(f => f.Job == job).ToList();
            Assert.True(times.Count >= 10, $"{said}: {job} fired {times.Count} times");
            // a firing whose node was killed while it ran runs again as a recovery (the jobs request it): one firing per
            // scheduled time, and recoveries beside it
            var twice = times.Where(f => !f.Recovering).GroupBy(f => f.Scheduled).Where(g => g.Count() > 1).Select(g => $"{g.Key:O} on {string.Join(", ", g.Select(f => f.Instance))}").ToList();
            Assert.True(twice.Count == 0, $"{said}: {job} fired more than once for a trigger: {string.Join("; ", twice)}");
            var (recoveries, instances) = (times.Count(f => f.Recovering), times.Select(f => f.Instance).Distinct().Count());
            times = [.. times.DistinctBy(f => f.Scheduled)];
            var gaps = times.Zip(times.Skip(1)).Where(p => p.Second.Scheduled - p.First.Scheduled != interval).Select(p => $"{p.First.Scheduled:O} -> {p.Second.Scheduled:O}").ToList();
            Assert.True(gaps.Count == 0, $"{said}: {job} skipped triggers: {string.Join("; ", gaps)}");
            Log($"scheduler: {job} fired {times.Count} times, once per trigger ({recoveries} recoveries), on {instances} instances");
        }
    }

    private async Task<Dictionary<string, long>> ReplicaVersionsAsync(string prefix)
    {
        foreach (var replicator in Of("replicator"))
        {
            try
            {
                var versions = await replicator.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/replication/versions?datacenter=dcB&prefix={Uri.EscapeDataString(prefix)}", UriKind.Relative), Ct);
                return versions.EnumerateArray().ToDictionary(v => v.GetProperty("path").GetString()!, v => TxIdOf(v.GetProperty("sourceTxId")), StringComparer.Ordinal);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // the other replicator
            }
        }

        return [];
    }

    private static long TxIdOf(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetInt64() : value.GetProperty("value").GetInt64();

    private static async Task<string> QueryAsync(HttpClient http, string sql)
    {
        using var response = await http.PostAsync(new Uri("/", UriKind.Relative), new StringContent(sql), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"ClickHouse: {sql}: {body}");
        return body.Trim();
    }

    private async Task WaitAllHealthyAsync(TimeSpan deadline, string when)
    {
        var healthy = await Eventually.TrueAsync(async () => (await Task.WhenAll(_fleet.Select(p => p.HealthyAsync(Ct)))).All(h => h), deadline, Ct);
        Assert.True(healthy, $"{when}: not healthy within {deadline.TotalSeconds} s: {string.Join(", ", await UnhealthyAsync(_fleet))}\n" +
            string.Join("\n", _fleet.Select(p => p.Tail(20))));
    }

    private static async Task<List<string>> UnhealthyAsync(IEnumerable<FleetProcess> processes)
    {
        var unhealthy = new List<string>();
        foreach (var process in processes)
        {
            if (await process.StatusAsync(Ct) is not "Healthy" and var status)
            {
                unhealthy.Add($"{process.Name}: {status}");
            }
        }

        return unhealthy;
    }

    private List<FleetProcess> Of(string role) => [.. _fleet.Where(p => p.Role == role)];

    private string Topic(string name) => $"{_run}-{name}";

    private Dictionary<string, string> Tree(string datacenter, string path)
    {
        var root = Path.Combine(_data.Path, datacenter, "files", path.TrimStart('/'));
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal)
            : [];
    }

    private static Task WaitAsync(TimeSpan pause)
    {
        var started = TimeProvider.System.GetTimestamp();
        return Eventually.TrueAsync(() => Task.FromResult(TimeProvider.System.GetElapsedTime(started) >= pause), pause + TimeSpan.FromSeconds(5), Ct);
    }

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine($"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} {line}");

    public async ValueTask DisposeAsync()
    {
        // UNITIZATION_FLEET_LOGS=DIR keeps every process's output (all its runs) as DIR/NAME.log
        var logs = Environment.GetEnvironmentVariable("UNITIZATION_FLEET_LOGS");
        foreach (var process in _fleet)
        {
            process.Dispose();
            if (!string.IsNullOrEmpty(logs))
            {
                Directory.CreateDirectory(logs);
                await File.WriteAllTextAsync(Path.Combine(logs, process.Name + ".log"), process.Output);
            }
        }

        if (_workload is not null)
        {
            await _workload.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _data.Dispose();
    }
}
