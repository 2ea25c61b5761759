using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Host.Hosting;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.Replication.Copy;
using Unitization.Replication.Versions;
using Unitization.TestUtils;
using Unitization.TestUtils.Security;
using Unitization.TestUtils.Servers;
using Unitization.Throttle.Budget;

namespace Unitization.IntegrationTests.Hdfs;

/// <summary>
/// Replacing a published replica in a namespace that cannot swap (dcB as <c>Kind: hdfs</c>, its NameNode a second
/// gateway host over a directory of its own), read meanwhile through the real router's WebHDFS gateway by a dcB client:
/// the replicator's copier (withdraw the records, wait <c>ReplicaSwapGrace</c>, two renames, the new record) must never
/// let the router send that reader to a missing or half-replaced path. The replica is a table and one of its two
/// partitions is rewritten: the other one stays fresh by the table's record, so only the withdrawal keeps its reader
/// off the table's directory while it moves.
/// </summary>
public sealed class HdfsReplicaReplaceTests : IDisposable
{
    private const string Table = "/warehouse/sales/orders";
    private const string Kept = Table + "/dt=2026-12-05";
    private const string Rewritten = Table + "/dt=2026-12-06";
    private const string DcBClient = "10.2.0.7";
    private const int BytesPerVersion = 1000;
    private static readonly string[] Files = ["_SUCCESS", "part-00000", "part-00001"];
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _data = new("hdfs-replace");

    public void Dispose() => _data.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replace_ReplicaOnHdfsReadThroughTheGateway_EveryAnswerOneWholeVersionPrimaryDuringTheSwap()
    {
        // dcB's NameNode stand-in (WebHDFS over its own directory) and its edit log as the NameNode's segments
        await using var hdfs = await HdfsStandIn.StartAsync(Path.Join(_data.Path, "hdfs-dcB"), Ct);

        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig, Role.Router, "http://127.0.0.1:0", TestServers.Kafka ?? "127.0.0.1:9", Path.Join(_data.Path, "service"),
            new Dictionary<string, string?>
            {
                ["NamespaceAccess"] = "write",
                ["Datacenters:1:Kind"] = "hdfs",
                ["Datacenters:1:NameNodes:0"] = hdfs.Url,
                ["Datacenters:1:Auth:Method"] = "simple",
                ["Datacenters:1:Auth:User"] = "unitization",
                ["Datacenters:1:Auth:GatewayBearerToken"] = TestCredentials.AdminHeader.Parameter,
                ["Datacenters:1:Journal:SharedEditsDirectory"] = Path.Join(hdfs.JournalDirectory, "dcB", "current"),
                ["Datacenters:1:Journal:PollInterval"] = "00:00:00.100",
                ["Router:RefreshInterval"] = "00:00:00.100",
                ["Router:ReplicaRecordsMaxAge"] = "00:00:01",
            }));
        await app.StartAsync(Ct);
        await using var stopApp = new HostStopper(app);
        using var http = new TestHttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(10) };
        var catalog = app.Services.GetRequiredService<INamespaceCatalog>();
        var (dcA, dcB) = (catalog.Get("dcA"), catalog.Get("dcB"));
        await Assert.ThrowsAsync<NotSupportedException>(() => dcB.ExchangeAsync("/a", "/b", Ct)); // HDFS cannot swap

        // the replicator's copier over the service's replica records; its grace above Router:ReplicaRecordsMaxAge
        var copier = new ReplicaCopier(
            app.Services.GetRequiredService<IReplicaVersionStore>(), null, null, TimeProvider.System, NullLogger<ReplicaCopier>.Instance, replicaSwapGrace: TimeSpan.FromSeconds(3));
        var request = new CopyRequest(dcA, dcB, Table, "sales.orders", TrafficPriority.Normal, "/.unitization/staging/w0");
        await WriteVersionAsync(dcA, Kept, 1);
        await WriteVersionAsync(dcA, Rewritten, 1);
        Assert.Equal(CopyResult.Copied, (await copier.ReplicateAsync(request, 2, Ct)).Result);
        Poll? first = null;
        Assert.True(await Eventually.TrueAsync(async () => (first = await PollAsync(http, 0, 0)).IsWholeReplica(1), Deadline, Ct), $"the dcB reader is never served the first replica: {first}");

        // a partition of the source is rewritten, the replica replaced while the reader reads; the old copy's moves in dcB's namespace mark the swap
        await WriteVersionAsync(dcA, Rewritten, 2);
        var phase = 0;
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var moves = WatchMovesAsync(hdfs.NameNode, stopWatching.Token, p => Volatile.Write(ref phase, p));
        var replicated = false;
        var reader = Task.Run(
            async () =>
            {
                var polls = new List<Poll>();
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < 20_000 && watch.Elapsed < Deadline; i++)
                {
                    var done = Volatile.Read(ref replicated);
                    var poll = await PollAsync(http, Volatile.Read(ref phase), () => Volatile.Read(ref phase));
                    polls.Add(poll);
                    if (done && poll.IsWholeReplica(2))
                    {
                        break;
                    }
                }

                return polls;
            },
            Ct);
        Assert.Equal(CopyResult.Copied, (await copier.ReplicateAsync(request, 2, Ct)).Result);
        Volatile.Write(ref replicated, true);
        var read = await reader;
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref phase) == 2), Deadline, Ct), "dcB's NameNode did not rename the old copy aside and the new one into place");
        await stopWatching.CancelAsync();
        await moves;

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{read.Count} polls: {read.Count(p => p.ServedBy.All(dc => dc == "dcB"))} from dcB, {read.Count(p => p.ServedBy.All(dc => dc == "dcA"))} from dcA, " +
            $"{read.Count(p => p.StartPhase <= 1 && p.EndPhase >= 1)} overlapping the renames");
        var problems = read.SelectMany(p => p.Problems).ToList();
        Assert.True(problems.Count == 0, $"{problems.Count} answers were not one whole version:\n{string.Join("\n", problems.Take(10))}");
        var duringSwap = read.Where(p => p.StartPhase <= 1 && p.EndPhase >= 1).Append(read.Last(p => p.StartPhase == 0)).ToList();
        Assert.All(duringSwap, p => Assert.True(p.ServedBy.All(dc => dc == "dcA"), $"a poll during the swap was not sent to the primary: {p}"));
        Assert.True(read[^1].IsWholeReplica(2), $"the reader is not sent to the new replica after the swap: {read[^1]}");
        var firstNew = read.FindIndex(p => p.IsWholeReplica(2));
        Assert.DoesNotContain(read.Skip(firstNew), p => p.RewrittenVersions.Contains(1)); // the old version never comes back
    }

    private static async Task WriteVersionAsync(INamespace ns, string partition, int version)
    {
        var bytes = Enumerable.Repeat((byte)('0' + version), BytesPerVersion * version).ToArray();
        foreach (var file in Files)
        {
            await ns.CreateAsync($"{partition}/{file}", (s, ct) => s.WriteAsync(bytes, ct).AsTask(), overwrite: true, Ct);
        }
    }

    /// <summary>Sets 1 when dcB's NameNode renames the replica path aside, 2 when it renames the staged copy into place.</summary>
    private static async Task WatchMovesAsync(INamespace nameNode, CancellationToken stop, Action<int> phase)
    {
        const string Physical = "/hdfs" + Table;
        try
        {
            await foreach (var edit in nameNode.EditsSinceAsync(nameNode.LastTxId, follow: true, stop))
            {
                if (edit.Op == EditOp.Rename && edit.Path == Physical)
                {
                    phase(1);
                }
                else if (edit.Op == EditOp.Rename && edit.Destination == Physical)
                {
                    phase(2);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static Task<Poll> PollAsync(HttpClient http, int startPhase, int endPhase) => PollAsync(http, startPhase, () => endPhase);

    /// <summary>What a dcB reader gets through the gateway: each partition's listing, then every file in it.</summary>
    private static async Task<Poll> PollAsync(HttpClient http, int startPhase, Func<int> endPhase)
    {
        var servedBy = new List<string>();
        var versions = new List<int>();
        var problems = new List<string>();
        foreach (var partition in (string[])[Kept, Rewritten])
        {
            await ReadPartitionAsync(http, partition, servedBy, versions, problems);
        }

        return new Poll(startPhase, endPhase(), servedBy, versions, problems);
    }

    private static async Task ReadPartitionAsync(HttpClient http, string partition, List<string> servedBy, List<int> versions, List<string> problems)
    {
        using (var listing = await SendAsync(http, $"{partition}?op=LISTSTATUS"))
        {
            servedBy.Add(DatacenterOf(listing));
            if (!listing.IsSuccessStatusCode)
            {
                problems.Add($"LISTSTATUS {partition} answered {(int)listing.StatusCode} from {DatacenterOf(listing)}: {await listing.Content.ReadAsStringAsync(Ct)}");
            }
            else
            {
                var statuses = (await listing.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("FileStatuses").GetProperty("FileStatus").EnumerateArray().ToList();
                var names = statuses.Select(s => s.GetProperty("pathSuffix").GetString()!).Order(StringComparer.Ordinal);
                var lengths = statuses.Select(s => s.GetProperty("length").GetInt64()).Distinct().ToList();
                if (!names.SequenceEqual(Files) || lengths.Count != 1 || lengths[0] % BytesPerVersion != 0)
                {
                    problems.Add($"LISTSTATUS {partition} from {DatacenterOf(listing)} is not one whole version: {string.Join(", ", statuses.Select(s => $"{s.GetProperty("pathSuffix")}:{s.GetProperty("length")}"))}");
                }
                else
                {
                    versions.Add((int)(lengths[0] / BytesPerVersion));
                }
            }
        }

        foreach (var file in Files)
        {
            using var open = await SendAsync(http, $"{partition}/{file}?op=OPEN");
            servedBy.Add(DatacenterOf(open));
            var body = await open.Content.ReadAsByteArrayAsync(Ct);
            var version = body.Length / BytesPerVersion;
            if (!open.IsSuccessStatusCode)
            {
                problems.Add($"OPEN {partition}/{file} answered {(int)open.StatusCode} from {DatacenterOf(open)}: {System.Text.Encoding.UTF8.GetString(body)}");
            }
            else if (version < 1 || body.Length != version * BytesPerVersion || body.Any(b => b != '0' + version))
            {
                problems.Add($"OPEN {partition}/{file} from {DatacenterOf(open)} is not one whole version ({body.Length} bytes)");
            }
            else
            {
                versions.Add(version);
            }
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/webhdfs/v1" + pathAndQuery, UriKind.Relative));
        request.Headers.Add("X-Forwarded-For", DcBClient);
        return await http.SendAsync(request, Ct);
    }

    private static string DatacenterOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Unitization-Datacenter", out var values) ? values.Single() : "none";

    /// <summary>One reader's pass; the swap's phase (0 before, 1 old copy aside, 2 new copy in place) when it began and ended.</summary>
    private sealed record Poll(int StartPhase, int EndPhase, IReadOnlyList<string> ServedBy, IReadOnlyList<int> Versions, IReadOnlyList<string> Problems)
    {
        /// <summary>Every answer from dcB, whole: the kept partition at version 1, the rewritten one at <paramref name="version"/>.</summary>
        public bool IsWholeReplica(int version) =>
            Problems.Count == 0 && ServedBy.All(dc => dc == "dcB") && Versions.Count == 2 * (Files.Length + 1)
            && Versions.Take(Files.Length + 1).All(v => v == 1) && RewrittenVersions.All(v => v == version);

        public IEnumerable<int> RewrittenVersions => Versions.Count == 2 * (Files.Length + 1) ? Versions.Skip(Files.Length + 1) : Versions;

        public override string ToString() =>
            $"phases {StartPhase}-{EndPhase}, served by {string.Join(",", ServedBy)}, versions {string.Join(",", Versions)}, problems: {string.Join(" | ", Problems)}";
    }
}
