using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.JournalNode;
using Unitization.Host.Hosting;
using Unitization.Namespaces;
using Unitization.TestUtils;
using Unitization.TestUtils.Security;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Hdfs;

/// <summary>
/// dcB's HDFS as <c>infra/up.sh --hdfs</c> runs it: a host of the router role over a directory of its own answers
/// WebHDFS as a NameNode does (infra/config/hdfs-gateway.json, the "/" mount on its <c>/hdfs</c>), and the JournalNode
/// double writes that directory's edit log as the NameNode's segments under <see cref="JournalDirectory"/>.
/// </summary>
internal sealed class HdfsStandIn : IAsyncDisposable
{
    private readonly WebApplication _gateway;
    private readonly CancellationTokenSource _stopJournal;
    private readonly Task _journal;

    private HdfsStandIn(WebApplication gateway, string directory, CancellationTokenSource stopJournal, Task journal)
    {
        _gateway = gateway;
        _stopJournal = stopJournal;
        _journal = journal;
        Url = gateway.Urls.First();
        JournalDirectory = Path.Join(directory, "journal");
        NamespaceDirectory = Path.Join(directory, "namespace");
    }

    public string Url { get; }

    /// <summary>The JournalNode's root: the segments of journal <c>dcB</c> are in <c>dcB/current</c> under it.</summary>
    public string JournalDirectory { get; }

    public string NamespaceDirectory { get; }

    /// <summary>The stand-in's own namespace (paths under <c>/hdfs</c>), as its NameNode sees it.</summary>
    public INamespace NameNode => _gateway.Services.GetRequiredService<INamespaceCatalog>().Get("dcB");

    public static async Task<HdfsStandIn> StartAsync(string directory, CancellationToken cancellationToken)
    {
        var gateway = UnitizationHost.Build(new ServeSettings(
            Path.Join(RepositoryPaths.Root, "infra", "config", "hdfs-gateway.json"), Role.Router, "http://127.0.0.1:0", TestServers.Kafka ?? "127.0.0.1:9", directory,
            new Dictionary<string, string?> { ["NamespaceAccess"] = "write" }));
        await gateway.StartAsync(cancellationToken);
        using (var http = new TestHttpClient { BaseAddress = new Uri(gateway.Urls.First()) })
        {
            // HDFS's root (/hdfs in its directory), made before the journal follows it
            (await http.PutAsync(new Uri("/webhdfs/v1/?op=MKDIRS&user.name=unitization", UriKind.Relative), null, cancellationToken)).EnsureSuccessStatusCode();
        }

        var stopJournal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var journal = new GatewayJournal(
            Path.Join(directory, "namespace"), Path.Join(directory, "journal", "dcB", "current"), "dcB", EditLogLayout.Newest, segmentOps: 20, TimeProvider.System, NullLogger.Instance, "/hdfs");
        return new HdfsStandIn(gateway, directory, stopJournal, journal.RunAsync(stopJournal.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopJournal.CancelAsync();
        await _journal;
        _stopJournal.Dispose();
        await _gateway.StopAsync(CancellationToken.None);
        await _gateway.DisposeAsync();
    }
}
