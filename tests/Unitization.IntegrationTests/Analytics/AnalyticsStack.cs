using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Unitization.Analytics.Ingest;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Traffic;
using Unitization.Host.Hosting;
using Unitization.IntegrationTests.ClickHouse;
using Unitization.TestUtils;
using Unitization.TestUtils.Security;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Analytics;

/// <summary>
/// The <c>analytics</c> and <c>throttle</c> roles running in this process as <c>unitization serve --roles analytics,throttle</c> would run them (the
/// composition root, a config file, a port picked by the OS), over real Kafka and ClickHouse, with a fresh topic pair,
/// consumer group and ClickHouse database per test class.
/// </summary>
public class AnalyticsStack : IAsyncLifetime
{
    public const string TestProducer = "test-producer";
    private static readonly byte[] ServiceKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] TestProducerKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    private readonly TempDirectory _folder = new("unitization-analytics");
    private readonly string _id = Guid.NewGuid().ToString("N")[..10];
    private WebApplication? _app;
    private IProducer<string, byte[]>? _producer;

    public AnalyticsStack()
        : this(ownClickHouse: false)
    {
    }

    protected AnalyticsStack(bool ownClickHouse)
    {
        OwnClickHouse = ownClickHouse;
    }

    public bool OwnClickHouse { get; }

    public string TrafficTopic => "traffic-" + _id;

    public string DeadLetterTopic => "traffic-dlq-" + _id;

    public string Database => "analytics_" + _id;

    public string KafkaBootstrap { get; private set; } = string.Empty;

    public Uri ClickHouseServer { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The stack's API, with the tests' admin token.</summary>
    public HttpClient Http { get; } = new TestHttpClient { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>ClickHouse's HTTP interface (no API token: ClickHouse reads Authorization as its own credentials).</summary>
    private HttpClient ClickHouseClient { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    internal ClickHouseHttp ClickHouse => new(ClickHouseClient, ClickHouseServer, Database);

    internal IngestStatus Status => _app!.Services.GetRequiredService<IngestStatus>();

    private string ClickHouseFolder => _folder.Combine("clickhouse");

    public async ValueTask InitializeAsync()
    {
        KafkaBootstrap = TestKafka.Bootstrap();
        if (OwnClickHouse)
        {
            await ClickHouseScriptAsync("start");
            ClickHouseServer = new Uri("http://127.0.0.1:" + (await File.ReadAllTextAsync(Path.Combine(ClickHouseFolder, "http.port"))).Trim());
        }
        else
        {
            ClickHouseServer = new Uri(RequiredServer.Setting(ClickHouseDatabaseFixture.Variable, "http://127.0.0.1:8123"));
            var ping = new ClickHouseHttp(ClickHouseClient, ClickHouseServer, null);
            RequiredServer.Require(await ping.PingAsync(CancellationToken.None), $"ClickHouse ({ClickHouseDatabaseFixture.Variable}={ClickHouseServer})", ClickHouseDatabaseFixture.HowToStart);
        }

        _producer = TestKafka.Producer(KafkaBootstrap);
        // the topics exist before the consumer subscribes (the dev broker creates topics on first produce)
        await _producer.ProduceAsync(TrafficTopic, new Message<string, byte[]> { Key = "warm-up", Value = "{\"warm-up\":true}"u8.ToArray() });
        await _producer.ProduceAsync(DeadLetterTopic, new Message<string, byte[]> { Key = "warm-up", Value = "{\"warm-up\":true}"u8.ToArray() });

        var config = _folder.Combine("unitization.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            DataFolder = _folder.Combine("data"),
            Datacenters = new[] { new { Id = "dcA", Kind = "local", Root = "dcA" }, new { Id = "dcB", Kind = "local", Root = "dcB" } },
            StateStore = new { Provider = "sqlite", Path = "state.db" },
            Kafka = new { BootstrapServers = KafkaBootstrap },
            Throttle = new
            {
                Links = new[] { new { From = "dcA", To = "dcB", BytesPerSecond = 100_000_000L }, new { From = "dcB", To = "dcA", BytesPerSecond = 100_000_000L } },
            },
            Analytics = new
            {
                ClickHouseUrl = ClickHouseServer.ToString(),
                Database,
                TrafficTopic,
                DeadLetterTopic,
                ConsumerGroup = "analytics-test-" + _id,
                BatchLingerMilliseconds = 100,
                RetryMilliseconds = 200,
                RefreshSeconds = 2,
                // the service signs as "unitization"; the tests' producer as "test-producer" (TrafficProvenance)
                Provenance = new { Producer = "unitization", Keys = new Dictionary<string, string> { ["unitization"] = Convert.ToBase64String(ServiceKey), [TestProducer] = Convert.ToBase64String(TestProducerKey) } },
            },
        }));
        _app = UnitizationHost.Build(new ServeSettings(config, Role.Analytics | Role.Throttle, "http://127.0.0.1:0"));
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First());
    }

    public async Task PublishAsync(IEnumerable<TrafficRecord> records)
    {
        foreach (var record in records)
        {
            var value = TrafficRecordJson.Serialize(record);
            _producer!.Produce(TrafficTopic, new Message<string, byte[]> { Key = record.Id, Value = value, Headers = Sign(value) });
        }

        await FlushAsync();
    }

    /// <summary>Publishes messages as they are, in this order, and waits until the broker has them all.</summary>
    public async Task PublishRawAsync(IEnumerable<(string Key, byte[] Value)> messages)
    {
        foreach (var (key, value) in messages)
        {
            _producer!.Produce(TrafficTopic, new Message<string, byte[]> { Key = key, Value = value, Headers = Sign(value) });
        }

        await FlushAsync();
    }

    public async Task PublishRawAsync(string key, byte[] value)
    {
        _producer!.Produce(TrafficTopic, new Message<string, byte[]> { Key = key, Value = value, Headers = Sign(value) });
        await FlushAsync();
    }

    /// <summary>Publishes a message with the given headers (none: unsigned), as a producer without the key would.</summary>
    public async Task PublishUnprovenAsync(string key, byte[] value, Headers? headers)
    {
        _producer!.Produce(TrafficTopic, new Message<string, byte[]> { Key = key, Value = value, Headers = headers });
        await FlushAsync();
    }

    /// <summary>The tests' trusted producer, for a recorder.</summary>
    public static TrafficProvenance TestProducerProvenance => new(TestProducer, new Dictionary<string, byte[]> { [TestProducer] = TestProducerKey });

    /// <summary>The headers of the tests' trusted producer.</summary>
    public static Headers Sign(byte[] value) => TrafficProvenance.Sign(TestProducer, TestProducerKey, value);

    public async Task<long> ScalarAsync(string sql)
    {
        var rows = await ClickHouse.QueryAsync(sql, CancellationToken.None);
        var cell = rows[0].EnumerateObject().First().Value;
        return cell.ValueKind == JsonValueKind.String ? long.Parse(cell.GetString()!, CultureInfo.InvariantCulture) : cell.GetInt64();
    }

    /// <summary>Waits until the role's stored totals for these jobs reach the expected ones (then checks they stay exact).</summary>
    public async Task<bool> WaitForTotalsAsync(string jobPrefix, long records, long bytes, TimeSpan deadline) =>
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                var n = await ScalarAsync($"SELECT count() FROM traffic WHERE startsWith(job, {ClickHouseSql.Quote(jobPrefix)})");
                var b = await ScalarAsync($"SELECT sum(bytes) FROM traffic WHERE startsWith(job, {ClickHouseSql.Quote(jobPrefix)})");
                return n == records && b == bytes;
            }
            catch (ClickHouseException)
            {
                return false;
            }
        }, deadline);

    public Task StopClickHouseAsync() => ClickHouseScriptAsync("stop");

    public Task StartClickHouseAsync() => ClickHouseScriptAsync("start");

    private async Task ClickHouseScriptAsync(string verb)
    {
        var script = Path.Combine(RepositoryRoot(), "infra", "clickhouse", "clickhouse.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, verb, ClickHouseFolder]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"clickhouse.sh {verb} failed: {await stderr}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Unitization.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Unitization.sln) is not above " + AppContext.BaseDirectory);
    }

    private Task FlushAsync() => Task.Run(() => _producer!.Flush(TimeSpan.FromSeconds(30)));

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _producer?.Dispose();
        if (OwnClickHouse)
        {
            await ClickHouseScriptAsync("stop");
        }
        else if (ClickHouseServer is not null)
        {
            try
            {
                await new ClickHouseHttp(ClickHouseClient, ClickHouseServer, null).DropDatabaseAsync(Database, CancellationToken.None);
            }
            catch (ClickHouseException)
            {
            }
        }

        Http.Dispose();
        ClickHouseClient.Dispose();
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }
}
