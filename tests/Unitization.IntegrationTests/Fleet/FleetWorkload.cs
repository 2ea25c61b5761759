using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Unitization.Analytics.Traffic;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;
using Unitization.SampleHms;

namespace Unitization.IntegrationTests.Fleet;

/// <summary>
/// The demo workload a fleet serves while its processes are killed: the HMS (a Thrift metastore in this process, which
/// outlives every kill as a real one would) with a writer of the primary dcA adding partitions of sales.orders and
/// inserting into them; a reader in dcB asking the routers for each partition and checking every answer that sends it
/// to dcB against the primary's txid of that partition when the question was asked; jobs publishing traffic records.
/// Every loop runs until <see cref="StopAsync"/> and at its own pace (bounded by the test's duration).
/// </summary>
internal sealed class FleetWorkload : IAsyncDisposable
{
    public const string Db = "sales";
    public const string Table = "orders";
    private const string DcBClient = "10.2.0.7";
    private readonly NamespaceCatalog _primary;
    private readonly SampleWorkload _workload;
    private readonly ConcurrentDictionary<string, long> _lastWrite = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _stale = new();
    private readonly ConcurrentBag<string> _trafficIds = [];
    private readonly ConcurrentDictionary<string, int> _reasons = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random;
    private readonly List<Task> _loops = [];
    private int _partitions;
    private long _readsFromDcB;
    private long _readsFromDcA;
    private long _readErrors;

    public FleetWorkload(string dataFolder, int seed)
    {
        Catalog = new SampleCatalog(TimeProvider.System);
        Metastore = new ThriftMetastoreServer(Catalog);
        Metastore.Start();
        // the primary's only writer (the replicators follow dcA: Datacenters:0:Access follow)
        _primary = new NamespaceCatalog(
            new TopologyOptions { DataFolder = dataFolder, Datacenters = [new DatacenterOptions { Id = "dcA", Root = "dcA" }] }, TimeProvider.System);
        _workload = new SampleWorkload(Catalog, _primary.Get("dcA"));
        _random = new Random(seed);
    }

    public SampleCatalog Catalog { get; }

    public ThriftMetastoreServer Metastore { get; }

    public INamespace Primary => _primary.Get("dcA");

    /// <summary>Partition path → the dcA txid of its last completed write.</summary>
    public IReadOnlyDictionary<string, long> LastWrites => _lastWrite;

    public IReadOnlyCollection<string> StaleReads => _stale;

    public IReadOnlyCollection<string> TrafficIds => _trafficIds;

    public long ReadsFromDcB => Interlocked.Read(ref _readsFromDcB);

    public long ReadsFromDcA => Interlocked.Read(ref _readsFromDcA);

    public long ReadErrors => Interlocked.Read(ref _readErrors);

    public Task CreateTableAsync(CancellationToken cancellationToken) => _workload.CreateTableAsync(Db, Table, cancellationToken);

    /// <summary>Writes a tree of files into dcA (the API migration's source).</summary>
    public async Task WriteTreeAsync(string path, int files, int bytesPerFile, CancellationToken cancellationToken)
    {
        for (var i = 0; i < files; i++)
        {
            var content = new byte[bytesPerFile];
            new Random(i).NextBytes(content);
            await Primary.CreateAsync($"{path}/day={i % 4}/part-{i}", (stream, ct) => stream.WriteAsync(content, ct).AsTask(), overwrite: false, cancellationToken);
        }
    }

    public void Start(Func<IReadOnlyList<FleetProcess>> routers, IProducer<Null, byte[]> traffic, string trafficTopic, TrafficProvenance provenance, string runId)
    {
        _loops.Add(Task.Run(() => WriteLoopAsync(_stop.Token)));
        _loops.Add(Task.Run(() => ReadLoopAsync(routers, _stop.Token)));
        _loops.Add(Task.Run(() => TrafficLoopAsync(traffic, trafficTopic, provenance, runId, _stop.Token)));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    /// <summary>A new partition (an INSERT into a new dt) or an INSERT into an existing one, about every 300 ms.</summary>
    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string partition;
            if (_partitions == 0 || _random.Next(3) > 0)
            {
                var dt = $"2026-12-{_partitions + 1:D2}";
                partition = await _workload.AddPartitionAsync(Db, Table, dt, files: 2, bytesPerFile: 20_000, CancellationToken.None);
                _partitions++;
            }
            else
            {
                var dt = $"2026-12-{_random.Next(_partitions) + 1:D2}";
                await _workload.InsertAsync(Db, Table, dt, 10_000, _random.Next(), CancellationToken.None);
                partition = SampleWorkload.PartitionPath(Db, Table, dt);
            }

            // the writer is this loop alone: the namespace's last txid is this partition's last write
            _lastWrite[partition] = Primary.LastTxId.Value;
            await PauseAsync(300, cancellationToken);
        }
    }

    /// <summary>Asks a router (in turn) where a dcB client reads a partition; an answer of dcB must be at least as new as the primary was.</summary>
    private async Task ReadLoopAsync(Func<IReadOnlyList<FleetProcess>> routers, CancellationToken cancellationToken)
    {
        var turn = 0;
        var random = new Random(_random.Next());
        while (!cancellationToken.IsCancellationRequested)
        {
            var written = _lastWrite.ToArray();
            var running = routers().Where(r => r.Running).ToArray();
            if (written.Length > 0 && running.Length > 0)
            {
                var (path, primaryTxId) = written[random.Next(written.Length)];
                var router = running[turn++ % running.Length];
                try
                {
                    using var response = await router.Http.GetAsync(
                        new Uri($"/api/v1/resolve?path={Uri.EscapeDataString(path)}&clientIp={DcBClient}", UriKind.Relative), cancellationToken);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref _readErrors);
                    }
                    else
                    {
                        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                        Check(router.Name, path, primaryTxId, answer);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    if (!cancellationToken.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref _readErrors); // the router was killed under the question: the reader asks the other
                    }
                }
            }

            await PauseAsync(40, cancellationToken);
        }
    }

    private void Check(string router, string path, long primaryTxId, JsonElement answer)
    {
        _reasons.AddOrUpdate(answer.GetProperty("reason").GetString() ?? "null", 1, (_, n) => n + 1);
        if (answer.GetProperty("datacenter").GetString() != "dcB")
        {
            Interlocked.Increment(ref _readsFromDcA);
            return;
        }

        Interlocked.Increment(ref _readsFromDcB);
        var version = answer.GetProperty("version").GetInt64();
        if (version < primaryTxId)
        {
            _stale.Enqueue($"{router} sent a dcB reader of {path} to dcB at version {version}, primary at txid {primaryTxId} before the question ({answer})");
        }
    }

    /// <summary>Jobs' traffic: five records every 100 ms with ids of this run, signed as the test's producer.</summary>
    private async Task TrafficLoopAsync(IProducer<Null, byte[]> producer, string topic, TrafficProvenance provenance, string runId, CancellationToken cancellationToken)
    {
        var next = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var records = Enumerable.Range(next, 5).Select(i => new TrafficRecord(
                $"{runId}-{i}", $"fleet-job-{i % 7}", "dcB", "dcA", 1_000 + i, "read", "client", TimeProvider.System.GetUtcNow())).ToList();
            next += records.Count;
            var lines = new System.Buffers.ArrayBufferWriter<byte>();
            TrafficRecordJson.WriteLines(lines, records);
            var value = lines.WrittenSpan.ToArray();
            await producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = value, Headers = provenance.Sign(value) }, CancellationToken.None);
            foreach (var record in records)
            {
                _trafficIds.Add(record.Id);
            }

            await PauseAsync(100, cancellationToken);
        }
    }

    private static async Task PauseAsync(int milliseconds, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(milliseconds, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
        _primary.Dispose();
        await Metastore.DisposeAsync();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{_partitions} partitions, {_lastWrite.Count} written, reads dcB {ReadsFromDcB} / dcA {ReadsFromDcA} / failed {ReadErrors} ({string.Join(", ", _reasons.Select(r => $"{r.Key} {r.Value}"))}), {_trafficIds.Count} traffic records");
}
