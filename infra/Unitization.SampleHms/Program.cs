using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Unitization.Namespaces;
using Unitization.Replication.Metastore;
using Unitization.Namespaces.Configuration;

namespace Unitization.SampleHms;

/// <summary>
/// <c>unitization-sample-hms</c>: serves the sample HMS on loopback, writes its <c>thrift://</c> address to
/// <c>DataFolder/sample-hms.uri</c> (where the replicator looks), and with <c>--interval</c> adds a partition of
/// <c>--files</c> files to <c>--db.--table</c> in the primary namespace at that pace until stopped.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var config = new Option<FileInfo>("--config") { DefaultValueFactory = _ => new FileInfo(Path.Join("infra", "config", "unitization.json")), Description = "The JSON configuration file." };
        var data = new Option<string?>("--data") { Description = "Overrides the configuration's DataFolder." };
        var port = new Option<int>("--port") { DefaultValueFactory = _ => 0, Description = "Port on 127.0.0.1 (0: any free port)." };
        var primary = new Option<string>("--primary") { DefaultValueFactory = _ => "dcA", Description = "The datacenter whose namespace holds the tables' files." };
        var interval = new Option<TimeSpan?>("--interval") { Description = "Add one partition this often (e.g. 00:00:02); omit to serve only." };
        interval.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<TimeSpan?>() is { } pace && (pace < TimeSpan.FromMilliseconds(10) || pace > TimeSpan.FromDays(1)))
            {
                result.AddError($"--interval {pace} must be from 00:00:00.010 to 1.00:00:00.");
            }
        });
        var files = new Option<int>("--files") { DefaultValueFactory = _ => 2, Description = "Files per partition." };
        var bytes = new Option<int>("--bytes") { DefaultValueFactory = _ => 100_000, Description = "Bytes per file." };
        var db = new Option<string>("--db") { DefaultValueFactory = _ => "sales" };
        var table = new Option<string>("--table") { DefaultValueFactory = _ => "orders" };
        var hive = new Option<SampleHmsVersion>("--hive") { DefaultValueFactory = _ => SampleHmsVersion.Hive4, Description = "Answer as Hive4 (no get_table) or Hive3." };
        var format = new Option<string>("--message-format")
        {
            DefaultValueFactory = _ => HiveMessageFormat.GzipJson,
            Description = $"Event messages as GzipJSONMessageEncoder ('{HiveMessageFormat.GzipJson}') or JSONMessageEncoder ('{HiveMessageFormat.Json}') writes them.",
        };
        format.AcceptOnlyFromAmong(HiveMessageFormat.GzipJson, HiveMessageFormat.Json);
        var inserts = new Option<bool>("--inserts") { Description = "Each --interval, an INSERT into one partition of the table (as serve --sample-hms) instead of a new partition." };
        var root = new RootCommand("The sample Hive Metastore (Thrift) for Unitization's demo and tests.") { config, data, port, primary, interval, files, bytes, db, table, hive, format, inserts };
        root.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(config)!;
            if (!file.Exists)
            {
                await Console.Error.WriteLineAsync($"unitization-sample-hms: configuration file '{file.FullName}' does not exist.").ConfigureAwait(false);
                return 2;
            }

            var configuration = new ConfigurationBuilder().AddJsonFile(file.FullName).Build();
            var topology = new TopologyOptions();
            configuration.Bind(topology);
            if (parse.GetValue(data) is { } d)
            {
                topology.DataFolder = d;
            }

            using var namespaces = new NamespaceCatalog(topology, TimeProvider.System);
            var catalog = new SampleCatalog(TimeProvider.System) { MessageFormat = parse.GetValue(format)! };
            catalog.PersistEventIds(topology.ResolvePath("sample-hms.last-event-id"));
            await using var server = new ThriftMetastoreServer(catalog, parse.GetValue(port), parse.GetValue(hive));
            server.Start();
            var uriFile = topology.ResolvePath("sample-hms.uri");
            Directory.CreateDirectory(Path.GetDirectoryName(uriFile)!);
            await File.WriteAllTextAsync(uriFile, server.Uri + "\n", cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"sample HMS ({server.Version}, messages {catalog.MessageFormat}) at {server.Uri} (address in {uriFile})");
            try
            {
                if (parse.GetValue(interval) is { } pace)
                {
                    var workload = new SampleWorkload(catalog, namespaces.Get(parse.GetValue(primary)!));
                    var run = parse.GetValue(inserts) ? (Func<string, string, TimeSpan, int, int, TimeProvider, CancellationToken, Task>)workload.RunInsertsAsync : workload.RunAsync;
                    await run(parse.GetValue(db)!, parse.GetValue(table)!, pace, parse.GetValue(files), parse.GetValue(bytes), TimeProvider.System, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                File.Delete(uriFile);
            }

            return 0;
        });
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
