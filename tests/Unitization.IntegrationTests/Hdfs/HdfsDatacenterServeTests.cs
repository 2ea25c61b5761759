using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Unitization.DataManager.Readiness;
using Unitization.Hdfs.Journal;
using Unitization.Hdfs.JournalNode;
using Unitization.Host.Hosting;
using Unitization.IntegrationTests.Replication;
using Unitization.Namespaces;
using Unitization.SampleHms;
using Unitization.TestUtils;
using Unitization.TestUtils.Security;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Hdfs;

/// <summary>
/// dcB as a <c>Kind: hdfs</c> datacenter, as <c>infra/up.sh --hdfs</c> runs it: a second host of the router role over a
/// directory of its own stands in for dcB's NameNode (WebHDFS, infra/config/hdfs-gateway.json), the JournalNode double
/// writes that directory's edit log as the NameNode's segments and serves them over HTTP, and the service (shipped
/// config, sample HMS as Hive 4 with gzip(json-2.0) messages) replicates sales.orders into dcB over WebHDFS, follows dcB's
/// versions through the journal, resolves a dcB reader to the fresh copy and calls the dataset ready there.
/// </summary>
public sealed class HdfsDatacenterServeTests : IDisposable
{
    private const string Table = "/warehouse/sales/orders";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _data = new("hdfs-serve");
    private readonly string _topic = "hms-events-hdfs-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Serve_DcBOverWebHdfsWithItsJournal_ReplicatesResolvesAndIsReady()
    {
        var ct = TestContext.Current.CancellationToken;
        var kafka = TestServers.RequireKafka();
        await ReplicationStack.CreateTopicAsync(_topic, 6, ct);
        await ReplicationStack.CreateTopicAsync(_topic + "-dlq", 1, ct);

        // dcB's NameNode stand-in and its JournalNode
        await using var hdfs = await HdfsStandIn.StartAsync(Path.Join(_data.Path, "hdfs-dcB"), ct);
        var gatewayUrl = hdfs.Url;
        var journalDir = hdfs.JournalDirectory;
        await using var journalNode = await JournalNodeHttpServer.StartAsync(journalDir);

        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig,
            RoleList.Parse("datamanager,replicator,router"),
            "http://127.0.0.1:0",
            kafka,
            Path.Join(_data.Path, "service"),
            new Dictionary<string, string?>
            {
                ["Datacenters:1:Kind"] = "hdfs",
                ["Datacenters:1:NameNodes:0"] = gatewayUrl,
                ["Datacenters:1:Auth:Method"] = "simple",
                ["Datacenters:1:Auth:User"] = "unitization",
                ["Datacenters:1:Auth:GatewayBearerToken"] = TestCredentials.AdminHeader.Parameter,
                ["Datacenters:1:Journal:JournalNodes:0"] = journalNode.BaseAddress.ToString(),
                ["Datacenters:1:Journal:JournalId"] = "dcB",
                ["Datacenters:1:Journal:PollInterval"] = "00:00:00.100",
                ["Router:RefreshInterval"] = "00:00:00.100",
                ["Replication:EventsTopic"] = _topic,
                ["Replication:DeadLetterTopic"] = _topic + "-dlq",
                ["Replication:ConsumerGroup"] = _topic,
            },
            new SampleHmsSettings(TimeSpan.FromSeconds(2))));
        await app.StartAsync(ct);
        await using var stopApp = new HostStopper(app);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        http.DefaultRequestHeaders.Authorization = TestCredentials.AdminHeader;

        // replication into dcB over WebHDFS: a commit record, the files in dcB (read over WebHDFS) and in the stand-in's directory
        JsonElement records = default;
        Assert.True(
            await Eventually.TrueAsync(
                async () =>
                {
                    records = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/replication/versions?datacenter=dcB&prefix=/warehouse", UriKind.Relative), ct);
                    return records.EnumerateArray().Any(r => r.GetProperty("path").GetString() == Table);
                },
                Deadline,
                ct),
            $"no commit record of {Table} in dcB: {records}");
        var dcB = app.Services.GetRequiredService<INamespaceCatalog>().Get("dcB");
        Assert.IsType<JournalFollowedNamespace>(dcB);
        Assert.True(await Eventually.TrueAsync(async () => await dcB.GetStatusAsync(Table + "/part-00000", ct) is not null, Deadline, ct));
        Assert.True(File.Exists(Path.Join(hdfs.NamespaceDirectory, "files", "hdfs", "warehouse", "sales", "orders", "part-00000")));

        // dcB's versions come from its journal: the router follows the NameNode's txids, and they name the table's paths
        var segments = await http.GetStringAsync(new Uri(journalNode.BaseAddress, "/getEditLogManifest?jid=dcB&sinceTxId=1"), ct);
        Assert.Contains("\"startTxId\":1", segments, StringComparison.Ordinal);
        JsonElement status = default;
        Assert.True(
            await Eventually.TrueAsync(
                async () =>
                {
                    status = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/router/status", UriKind.Relative), ct);
                    var log = status.GetProperty("editLogs").EnumerateArray().Single(l => l.GetProperty("datacenter").GetString() == "dcB");
                    return log.GetProperty("followedTxId").GetInt64() > 2 && log.GetProperty("followedTxId").GetInt64() >= log.GetProperty("lastTxId").GetInt64();
                },
                Deadline,
                ct),
            $"the router does not follow dcB's journal: {status}");
        // the replica was published by renaming its staged directory into place: OP_RENAME_OLD to the table's path
        var edits = new List<(string Path, string? Destination)>();
        await foreach (var edit in dcB.EditsSinceAsync(TxId.None, follow: false, ct))
        {
            edits.Add((edit.Path, edit.Destination));
        }

        Assert.Contains(edits, e => e.Destination == Table);

        // a dcB reader is sent to the fresh copy in dcB, and the dataset is ready there
        JsonElement route = default;
        Assert.True(
            await Eventually.TrueAsync(
                async () =>
                {
                    route = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/resolve?path={Table}&clientIp=10.2.0.7", UriKind.Relative), ct);
                    return route.GetProperty("reason").GetString() == "FreshReplica";
                },
                Deadline,
                ct),
            $"a dcB reader of {Table} is not sent to a fresh replica: {route}");
        Assert.Equal("dcB", route.GetProperty("datacenter").GetString());
        var freshness = app.Services.GetRequiredService<IDatasetFreshness>();
        Assert.True(await Eventually.TrueAsync(() => freshness.IsFreshAsync("hive://metastore", "sales.orders", "dcB", ct), Deadline, ct), "sales.orders is never ready in dcB");
    }
}
