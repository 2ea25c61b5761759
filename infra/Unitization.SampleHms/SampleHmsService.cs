using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Namespaces;
using Unitization.Replication.Metastore;
using Unitization.Namespaces.Configuration;

namespace Unitization.SampleHms;

/// <summary>What <c>serve --sample-hms</c> runs: the table it fills, at what pace, in which datacenter.</summary>
/// <param name="Interval">One partition this often; <see cref="TimeSpan.Zero"/>: serve the catalog only.</param>
/// <param name="Version">Answer as Hive 4 (no <c>get_table</c>) or Hive 3.</param>
/// <param name="MessageFormat">Event messages as GzipJSONMessageEncoder (<c>gzip(json-2.0)</c>, the default) or JSONMessageEncoder (<c>json-0.2</c>) writes them.</param>
public sealed record SampleHmsSettings(
    TimeSpan Interval, string Primary = "dcA", string Db = "sales", string Table = "orders", int Files = 4, int BytesPerFile = 100_000,
    SampleHmsVersion Version = SampleHmsVersion.Hive4, string MessageFormat = HiveMessageFormat.GzipJson);

/// <summary>
/// The sample HMS inside a host: its Thrift server on loopback, its address in <c>DataFolder/sample-hms.uri</c>
/// (where the replicator's pump looks when <c>Replication:MetastoreUri</c> is empty), and its workload writing
/// partitions into the primary through the host's own <see cref="INamespaceCatalog"/> (so a process holding the
/// namespace's writer lock can still be the demo's writer).
/// </summary>
public sealed partial class SampleHmsService(
    SampleHmsSettings settings,
    INamespaceCatalog namespaces,
    IOptions<TopologyOptions> topology,
    TimeProvider time,
    ILogger<SampleHmsService> logger) : BackgroundService
{
    private readonly SampleCatalog _catalog = new(time) { MessageFormat = settings.MessageFormat };
    private ThriftMetastoreServer? _server;
    private string? _uriFile;

    public SampleCatalog Catalog => _catalog;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = namespaces.Get(settings.Primary); // an unknown datacenter fails the start, naming it
        // the pump's checkpoint outlives this in-memory catalog: continue the event ids where the last run stopped
        _catalog.PersistEventIds(topology.Value.ResolvePath("sample-hms.last-event-id"));
        _server = new ThriftMetastoreServer(_catalog, version: settings.Version);
        _server.Start();
        _uriFile = topology.Value.ResolvePath("sample-hms.uri");
        Directory.CreateDirectory(Path.GetDirectoryName(_uriFile)!);
        // one rename: the pump polls this file and must never read it half written
        var partial = _uriFile + ".partial";
        await File.WriteAllTextAsync(partial, _server.Uri + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(partial, _uriFile, overwrite: true);
        Started(logger, _server.Uri, _uriFile, settings.Primary, $"{settings.Db}.{settings.Table}", settings.Interval);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_uriFile is not null)
        {
            File.Delete(_uriFile);
        }

        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Interval <= TimeSpan.Zero)
        {
            return;
        }

        var workload = new SampleWorkload(_catalog, namespaces.Get(settings.Primary));
        try
        {
            await workload.RunInsertsAsync(settings.Db, settings.Table, settings.Interval, settings.Files, settings.BytesPerFile, time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (IOException ex)
        {
            WorkloadFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(EventId = 3901, Level = LogLevel.Information, Message = "sample HMS at {Uri} (address in {UriFile}); workload: an INSERT into {Table} in {Primary} every {Interval}")]
    private static partial void Started(ILogger logger, string uri, string uriFile, string primary, string table, TimeSpan interval);

    [LoggerMessage(EventId = 3902, Level = LogLevel.Error, Message = "sample HMS workload stopped: {Reason}")]
    private static partial void WorkloadFailed(ILogger logger, string reason);
}

/// <summary>Registers <see cref="SampleHmsService"/> (needs <c>AddNamespaces</c>).</summary>
public static class SampleHmsServiceCollectionExtensions
{
    public static IServiceCollection AddSampleHms(this IServiceCollection services, SampleHmsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(settings);
        services.AddHostedService<SampleHmsService>();
        return services;
    }
}
