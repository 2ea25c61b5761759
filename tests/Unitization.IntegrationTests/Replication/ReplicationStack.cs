using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Unitization.TestUtils.Security;
using Unitization.DataManager.Rules;
using Unitization.Kafka;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Hosting;
using Unitization.Replication.Metastore;
using Unitization.Replication.Pump;
using Unitization.Replication.Versions;
using Unitization.SampleHms;
using Unitization.StateStore;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Replication;

/// <summary>
/// The replication pipeline on loopback: the sample HMS (Thrift, port 0; by default as Hive 4 with gzip(json-2.0)
/// messages, as a real Hive 4 metastore answers), the dev Kafka broker (a fresh topic per stack), the replicator role
/// (pump and worker) in a host of its own, local namespaces dcA and dcB in a temp folder.
/// The replicator host can be stopped and started again over the same state (a restart).
/// </summary>
internal sealed class ReplicationStack : IAsyncDisposable
{
    public const string Db = "sales";
    public const string Table = "orders";

    private readonly string _kafka;
    private readonly string _topic = "hms-events-" + Guid.NewGuid().ToString("N")[..8];
    private WebApplication? _host;

    private readonly IReadOnlyDictionary<string, string?> _settings;

    private ReplicationStack(string kafka, SampleHmsVersion version, string messageFormat, IReadOnlyDictionary<string, string?>? settings)
    {
        _kafka = kafka;
        _settings = settings ?? new Dictionary<string, string?>();
        Catalog = new SampleCatalog(TimeProvider.System) { MessageFormat = messageFormat };
        Server = new ThriftMetastoreServer(Catalog, version: version);
        Server.Start();
        DeadLetterTopic = _topic + "-dlq";
        var topology = new TopologyOptions
        {
            DataFolder = Temp.Path,
            Datacenters = [new DatacenterOptions { Id = "dcA", Root = "dcA" }, new DatacenterOptions { Id = "dcB", Root = "dcB" }],
        };
        Namespaces = new NamespaceCatalog(topology, TimeProvider.System);
    }

    /// <summary>Starts the sample HMS and the replicator on fresh topics; skips (or fails with CI=true) without the dev broker.</summary>
    public static Task<ReplicationStack> StartAsync(CancellationToken cancellationToken) =>
        StartAsync(SampleHmsVersion.Hive4, HiveMessageFormat.GzipJson, null, cancellationToken);

    /// <summary>As <see cref="StartAsync(CancellationToken)"/>, with the HMS's version and encoder, and more Replication settings.</summary>
    public static async Task<ReplicationStack> StartAsync(
        SampleHmsVersion version, string messageFormat, IReadOnlyDictionary<string, string?>? settings, CancellationToken cancellationToken)
    {
        var stack = new ReplicationStack(TestServers.RequireKafka(), version, messageFormat, settings);
        await CreateTopicAsync(stack._topic, 6, cancellationToken);
        await CreateTopicAsync(stack.DeadLetterTopic, 1, cancellationToken);
        await stack.StartReplicatorAsync(cancellationToken);
        return stack;
    }

    public TempDirectory Temp { get; } = new("replication-stack");

    public SampleCatalog Catalog { get; }

    public ThriftMetastoreServer Server { get; private set; }

    public string DeadLetterTopic { get; }

    public string EventsTopic => _topic;

    public string KafkaBootstrap => _kafka;

    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("The replicator is not running.");

    /// <summary>The replicator's HTTP API (<c>/api/v1/replication/...</c>, <c>/healthz</c>) on a loopback port of its own.</summary>
    public HttpClient Http { get; private set; } = new();

    /// <summary>The namespaces outlive replicator restarts (the host is given this catalog), as the disks do.</summary>
    public NamespaceCatalog Namespaces { get; }

    public INamespace Primary => Namespaces.Get("dcA");

    public INamespace Replica => Namespaces.Get("dcB");

    public SampleWorkload Workload => new(Catalog, Primary);

    public IReplicaVersionStore Versions => Services.GetRequiredService<IReplicaVersionStore>();

    public ReplicationHealth Health => Services.GetRequiredService<ReplicationHealth>();

    public async Task StartReplicatorAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Services.AddRoutingCore();
        var configuration = new Dictionary<string, string?>
        {
            ["DataFolder"] = Temp.Path,
            ["Datacenters:0:Id"] = "dcA",
            ["Datacenters:0:Root"] = "dcA",
            ["Datacenters:1:Id"] = "dcB",
            ["Datacenters:1:Root"] = "dcB",
            ["Kafka:BootstrapServers"] = _kafka,
            ["Replication:MetastoreUri"] = Server.Uri,
            ["Replication:EventsTopic"] = _topic,
            ["Replication:DeadLetterTopic"] = DeadLetterTopic,
            ["Replication:ConsumerGroup"] = "it-" + _topic,
            ["Replication:PumpPollInterval"] = "00:00:00.020",
            ["Replication:MaxBackoff"] = "00:00:00.500",
            ["Throttle:Links:0:From"] = "dcA",
            ["Throttle:Links:0:To"] = "dcB",
            ["Throttle:Links:0:BytesPerSecond"] = "1000000000",
        };
        foreach (var (key, value) in _settings)
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.AddFilter(level => level >= LogLevel.Warning);
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<INamespaceCatalog>(Namespaces);
        services.AddSingleton<IReplicationRuleSource>(new StaticRuleSource(
            new ReplicationRule("hive://sample", $"{Db}.{Table}", "dcA", ["dcB"], 2, 1_000_000)));
        services.AddOptions<KafkaOptions>().Bind(builder.Configuration.GetSection(KafkaOptions.SectionName));
        services.AddStateStore(builder.Configuration, Temp.Path);
        services.AddReplication(builder.Configuration);
        builder.Services.AddProblemDetails();
        _host = builder.Build();
        _host.UseRouting();
        _host.MapHealthChecks("/healthz");
        _host.MapReplication();
        await _host.StartAsync(cancellationToken);
        Http.Dispose();
        Http = new TestHttpClient { BaseAddress = new Uri(_host.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task StopReplicatorAsync()
    {
        if (_host is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _host.StopAsync(timeout.Token);
            await _host.DisposeAsync();
            _host = null;
        }
    }

    /// <summary>Stops the sample HMS; its catalog stays for <see cref="RestartMetastore"/> on the same port.</summary>
    public async Task StopMetastoreAsync() => await Server.DisposeAsync();

    public void RestartMetastore()
    {
        Server = new ThriftMetastoreServer(Catalog, Server.Port, Server.Version);
        Server.Start();
    }

    /// <summary>Creates <paramref name="db"/>.<paramref name="table"/> with one partition of one file and waits until dcB holds it; the partition's path.</summary>
    public async Task<string> ReplicatedPartitionAsync(string db, string table, string dt, int bytes, CancellationToken cancellationToken)
    {
        await Workload.CreateTableAsync(db, table, cancellationToken);
        var partition = await Workload.AddPartitionAsync(db, table, dt, files: 1, bytesPerFile: bytes, cancellationToken);
        Assert.True(await ReplicaFreshAsync(partition), $"{partition} was not replicated");
        return partition;
    }

    public Task<bool> ReplicaFreshAsync(string path) => Eventually.TrueAsync(
        async () =>
        {
            var version = await Versions.GetAsync("dcB", path, CancellationToken.None);
            return version is not null && version.SourceTxId >= (await Primary.GetStatusAsync(path, CancellationToken.None))!.LastTxId;
        },
        TimeSpan.FromSeconds(60));

    public Task<List<ConsumeResult<string, string>>> ReadDeadLettersAsync(int expected, TimeSpan deadline) => ReadTopicAsync(DeadLetterTopic, expected, deadline);

    /// <summary>Reads <paramref name="topic"/> from the start until <paramref name="expected"/> records or the deadline.</summary>
    public async Task<List<ConsumeResult<string, string>>> ReadTopicAsync(string topic, int expected, TimeSpan deadline)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = _kafka,
            GroupId = "dlq-reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var results = new List<ConsumeResult<string, string>>();
        var end = DateTime.UtcNow + deadline;
        while (results.Count < expected && DateTime.UtcNow < end)
        {
            var record = await Task.Run(() => consumer.Consume(TimeSpan.FromMilliseconds(200)));
            if (record?.Message is not null)
            {
                results.Add(record);
            }
        }

        consumer.Close();
        return results;
    }

    public async ValueTask DisposeAsync()
    {
        await StopReplicatorAsync();
        await Server.DisposeAsync();
        Namespaces.Dispose();
        Http.Dispose();
        Temp.Dispose();
    }

    public static string? ControlUrl =>
        Environment.GetEnvironmentVariable("UNITIZATION_TEST_BROKER_DIR") is { Length: > 0 } dir && File.Exists(Path.Combine(dir, "control.url"))
            ? File.ReadAllText(Path.Combine(dir, "control.url")).Trim()
            : null;

    /// <summary>Takes every broker of the dev cluster down, or brings them back (the dev broker's fault API).</summary>
    public static async Task SetBrokersAsync(bool up, CancellationToken cancellationToken)
    {
        var control = ControlUrl ?? throw new InvalidOperationException("UNITIZATION_TEST_BROKER_DIR is not set: the broker fault API is unknown.");
        using var http = new TestHttpClient();
        for (var id = 1; id <= 3; id++)
        {
            using var response = await http.PostAsync(new Uri($"{control}/brokers/{id}/{(up ? "up" : "down")}"), null, cancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }

    internal static async Task CreateTopicAsync(string topic, int partitions, CancellationToken cancellationToken)
    {
        if (ControlUrl is not { } control)
        {
            return; // the mock cluster creates topics on first use
        }

        using var http = new TestHttpClient();
        using var response = await http.PostAsync(new Uri($"{control}/topics/{topic}?partitions={partitions}"), null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
