using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Unitization.TestUtils.Security;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Versions;
using Unitization.SampleHms;
using Unitization.StateStore;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Replication;

/// <summary>
/// The replicator as a real process (<c>unitization serve --roles replicator</c>) killed with SIGKILL ten times at
/// random points while it copies a partition (throttled to 1 MB/s, one file at a time: before anything is staged, in
/// the middle of a file, after a file is staged): after each kill nothing is visible at the replica path and no commit
/// record exists; a restarted process cleans the staging folder, gets the event again (its offset was never committed)
/// and in the end publishes a replica with identical checksums.
/// </summary>
public sealed class ReplicatorKillTests : IAsyncDisposable
{
    private const string Db = "sales";
    private const string Table = "big";
    private const int Files = 3;
    private const int BytesPerFile = 4_000_000;
    private const int KillRounds = 10;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _data = new("replicator-kill");
    private readonly string _topic = "hms-events-kill-" + Guid.NewGuid().ToString("N")[..8];
    private readonly SampleCatalog _catalog = new(TimeProvider.System);
    private readonly ThriftMetastoreServer _metastore;
    private WebApplication? _rules;

    public ReplicatorKillTests()
    {
        _metastore = new ThriftMetastoreServer(_catalog);
        _metastore.Start();
    }

    [Fact]
    public async Task Replicator_KilledTenTimesMidCopy_NoPartialReplica_CompletesAfterRestartWithIdenticalChecksums()
    {
        var ct = TestContext.Current.CancellationToken;
        var kafka = TestServers.RequireKafka();
        await ReplicationStack.CreateTopicAsync(_topic, 6, ct);
        await ReplicationStack.CreateTopicAsync(_topic + "-dlq", 1, ct);
        var rulesUrl = await StartRulesAsync(ct);
        var partition = await WritePartitionAsync(ct);
        var replica = Physical("dcB", partition);
        var staging = Physical("dcB", "/.unitization/staging/worker-0");

        // ten kills at random points: before anything is staged, mid-file, after a file is staged (seeded, printed)
        var seed = System.Environment.GetEnvironmentVariable("UNITIZATION_KILL_SEED") is { } s && int.TryParse(s, out var given) ? given : 20261206;
        var random = new Random(seed);
        for (var round = 0; round < KillRounds; round++)
        {
            using var victim = Replicator.Start(kafka, _data.Path, Environment(rulesUrl));
            var at = TimeSpan.FromMilliseconds(random.Next(1_500, 6_000));
            var started = TimeProvider.System.GetTimestamp();
            await Eventually.TrueAsync(() => Task.FromResult(StagedFiles(staging) >= Files - 1 || TimeProvider.System.GetElapsedTime(started) >= at), Deadline, ct);
            victim.Kill();

            Assert.False(Directory.Exists(replica), $"seed {seed}, kill {round + 1} at {at.TotalMilliseconds} ms: a partial replica is visible at {replica}\n{victim.Output}");
            Assert.Null(await ReadVersionAsync(partition, ct));
            Assert.InRange(StagedFiles(staging), 0, Files - 1);
        }

        using var second = Replicator.Start(kafka, _data.Path, Environment(rulesUrl));
        using var http = new TestHttpClient { BaseAddress = new Uri($"http://127.0.0.1:{second.Port}") };
        var committed = await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    var versions = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/replication/versions?datacenter=dcB&prefix=/warehouse", UriKind.Relative), ct);
                    return versions.EnumerateArray().Any(v => v.GetProperty("path").GetString() == partition);
                }
                catch (HttpRequestException)
                {
                    return false; // not listening yet
                }
            },
            Deadline,
            ct);
        Assert.True(committed, "no commit record after the restart:\n" + second.Output);

        var source = Checksums(Physical("dcA", partition));
        Assert.Equal(Files, source.Count);
        Assert.Equal(source, Checksums(replica));
        Assert.Equal(0, StagedFiles(staging));
    }

    [Fact]
    public async Task Serve_KilledTenTimesDuringAnApiMigration_NothingVisibleThenResumesByteIdentical()
    {
        var ct = TestContext.Current.CancellationToken;
        var kafka = TestServers.RequireKafka();
        await ReplicationStack.CreateTopicAsync(_topic, 6, ct);
        await ReplicationStack.CreateTopicAsync(_topic + "-dlq", 1, ct);
        var rulesUrl = await StartRulesAsync(ct);
        const string History = "/warehouse/archive/events";
        await WriteHistoryAsync(History, files: 40, ct);
        var seed = System.Environment.GetEnvironmentVariable("UNITIZATION_KILL_SEED") is { } s && int.TryParse(s, out var given) ? given : 20261206;
        var random = new Random(seed);
        string? id = null;

        for (var round = 0; round < KillRounds; round++)
        {
            using var victim = Replicator.Start(kafka, _data.Path, Environment(rulesUrl));
            using var http = new TestHttpClient { BaseAddress = new Uri($"http://127.0.0.1:{victim.Port}") };
            if (id is null)
            {
                // the migration is asked for once, through the API; every later process resumes it from the state store
                var accepted = await Eventually.TrueAsync(
                    async () =>
                    {
                        try
                        {
                            using var response = await http.PostAsJsonAsync(new Uri("/api/v1/migrations", UriKind.Relative), new { source = $"dcA:{History}", target = "dcB" }, ct);
                            id = response.StatusCode == HttpStatusCode.Accepted ? (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString() : null;
                            return id is not null;
                        }
                        catch (HttpRequestException)
                        {
                            return false; // not listening yet
                        }
                    },
                    Deadline,
                    ct);
                Assert.True(accepted, "the migration was not accepted:\n" + victim.Output);
            }

            var at = TimeSpan.FromMilliseconds(random.Next(1_500, 5_000));
            var started = TimeProvider.System.GetTimestamp();
            await Eventually.TrueAsync(() => Task.FromResult(TimeProvider.System.GetElapsedTime(started) >= at), Deadline, ct);
            victim.Kill();

            var said = $"seed {seed}, kill {round + 1} at {at.TotalMilliseconds} ms";
            Assert.False(Directory.Exists(Physical("dcB", History)), $"{said}: the migration is visible before it finished\n{victim.Output}");
            Assert.DoesNotContain(await ListDcBRootAsync(ct), p => p.StartsWith("/.unitization", StringComparison.Ordinal));
        }

        using var last = Replicator.Start(kafka, _data.Path, Environment(rulesUrl));
        using var client = new TestHttpClient { BaseAddress = new Uri($"http://127.0.0.1:{last.Port}") };
        var done = await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    var job = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/migrations/{id}", UriKind.Relative), ct);
                    return job.GetProperty("phase").GetString() == "done";
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(180),
            ct);
        Assert.True(done, "the migration did not finish after the restarts:\n" + last.Output);
        Assert.Equal(Tree(Physical("dcA", History)), Tree(Physical("dcB", History)));
    }

    private async Task WriteHistoryAsync(string path, int files, CancellationToken ct)
    {
        using var namespaces = new NamespaceCatalog(Topology(), TimeProvider.System);
        var dcA = namespaces.Get("dcA");
        for (var i = 0; i < files; i++)
        {
            var content = new byte[1 << 20];
            new Random(i).NextBytes(content);
            await dcA.CreateAsync($"{path}/day={i % 5}/part-{i}", (stream, c) => stream.WriteAsync(content, c).AsTask(), overwrite: false, ct);
        }
    }

    /// <summary>dcB's root as a following process lists it; a namespace no killed process opened yet reads as empty.</summary>
    private async Task<List<string>> ListDcBRootAsync(CancellationToken ct)
    {
        using var namespaces = new NamespaceCatalog(Topology(), TimeProvider.System, readOnly: true, awaitCreation: true);
        var listed = new List<string>();
        await foreach (var entry in namespaces.Get("dcB").ListAsync("/", ct))
        {
            listed.Add(entry.Path);
        }

        return listed;
    }

    private TopologyOptions Topology() => new()
    {
        DataFolder = _data.Path,
        Datacenters = [new DatacenterOptions { Id = "dcA", Root = "dcA" }, new DatacenterOptions { Id = "dcB", Root = "dcB" }],
    };

    private static Dictionary<string, string> Tree(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);

    private Dictionary<string, string?> Environment(Uri rulesUrl) => new()
    {
        ["UNITIZATION_Replication__MetastoreUri"] = _metastore.Uri,
        ["UNITIZATION_Replication__EventsTopic"] = _topic,
        ["UNITIZATION_Replication__DeadLetterTopic"] = _topic + "-dlq",
        ["UNITIZATION_Replication__ConsumerGroup"] = _topic,
        ["UNITIZATION_Replication__RulesUrl"] = rulesUrl.ToString(),
        ["UNITIZATION_Replication__CopyParallelism"] = "1",
        ["UNITIZATION_Replication__ConsumerSessionTimeout"] = "00:00:06",
        ["UNITIZATION_Replication__MaxBackoff"] = "00:00:01",
        // a killed process's migration is taken over by the next once its lease runs out
        ["UNITIZATION_Replication__MigrationLease"] = "00:00:02",
        ["UNITIZATION_Throttle__Links__0__BytesPerSecond"] = "1000000",
    };

    /// <summary>DataManager's rules endpoint, as a replicator without the datamanager role reads it: sales.big dcA -> dcB.</summary>
    private async Task<Uri> StartRulesAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _rules = builder.Build();
        _rules.MapGet("/api/v1/replication/rules", () => Results.Json(new[]
        {
            new { datasetNamespace = "hive://metastore", datasetName = $"{Db}.{Table}", primary = "dcA", targets = new[] { "dcB" }, priority = 1, dailyBytes = 0 },
        }));
        await _rules.StartAsync(ct);
        return new Uri(_rules.Urls.First() + "/");
    }

    /// <summary>Writes the partition's files into dcA and registers it (ADD_PARTITION) before any replicator holds dcA.</summary>
    private async Task<string> WritePartitionAsync(CancellationToken ct)
    {
        var topology = new TopologyOptions
        {
            DataFolder = _data.Path,
            Datacenters = [new DatacenterOptions { Id = "dcA", Root = "dcA" }, new DatacenterOptions { Id = "dcB", Root = "dcB" }],
        };
        using var namespaces = new NamespaceCatalog(topology, TimeProvider.System);
        var workload = new SampleWorkload(_catalog, namespaces.Get("dcA"));
        await workload.CreateTableAsync(Db, Table, ct);
        return await workload.AddPartitionAsync(Db, Table, "2026-11-23", Files, BytesPerFile, ct);
    }

    private async Task<ReplicaVersion?> ReadVersionAsync(string path, CancellationToken ct)
    {
        var database = new SqliteStateDatabase(Path.Combine(_data.Path, "state.db"), [StateStoreReplicaVersionStore.Migration], NullLogger<SqliteStateDatabase>.Instance);
        return await new StateStoreReplicaVersionStore(database).GetAsync("dcB", path, ct);
    }

    private string Physical(string dc, string path) => Path.Combine(_data.Path, dc, "files", path.TrimStart('/'));

    private static int StagedFiles(string staging) =>
        Directory.Exists(staging) ? Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Count() : 0;

    private static Dictionary<string, string> Checksums(string directory) =>
        Directory.EnumerateFiles(directory).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    public async ValueTask DisposeAsync()
    {
        if (_rules is not null)
        {
            await _rules.DisposeAsync();
        }

        await _metastore.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>A <c>unitization serve --roles replicator</c> child process with its output collected.</summary>
    private sealed class Replicator : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private Replicator(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static Replicator Start(string kafka, string data, Dictionary<string, string?> environment)
        {
            var port = FreePort();
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList =
                {
                    Path.Combine(AppContext.BaseDirectory, "unitization.dll"), "serve", "--roles", "replicator", "--config", RepositoryPaths.ShippedConfig,
                    "--urls", $"http://127.0.0.1:{port}", "--kafka", kafka, "--data", data,
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }

            var replicator = new Replicator(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), port);
            replicator._process.OutputDataReceived += (_, e) => replicator.Append(e.Data);
            replicator._process.ErrorDataReceived += (_, e) => replicator.Append(e.Data);
            replicator._process.BeginOutputReadLine();
            replicator._process.BeginErrorReadLine();
            return replicator;
        }

        /// <summary>SIGKILL: no shutdown code runs, as when the machine or the OOM killer stops it.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
