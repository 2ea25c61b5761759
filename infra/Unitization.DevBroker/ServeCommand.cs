using System.CommandLine;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Unitization.DevBroker.Mock;

namespace Unitization.DevBroker;

/// <summary>
/// <c>unitization-devbroker serve --config FILE --dir DIR</c>: hosts the mock cluster, creates the configured topics,
/// writes <c>DIR/kafka.bootstrap</c> and <c>DIR/control.url</c> once ready, and removes them on SIGTERM or Ctrl-C.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "The service configuration; its Kafka:Topics are created.", Required = true };
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Where to write kafka.bootstrap and control.url.", Required = true };
        var brokers = new Option<int>("--brokers") { Description = "How many mock brokers.", DefaultValueFactory = _ => 3 };
        var command = new Command("serve", "Run the dev Kafka broker (librdkafka's mock cluster) until SIGTERM or Ctrl-C.") { config, dir, brokers };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var directory = parse.GetValue(dir)!.FullName;
            try
            {
                var topics = BrokerSettings.ReadTopics(parse.GetValue(config)!.FullName);
                await RunAsync(directory, parse.GetValue(brokers), topics, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or InvalidOperationException or ArgumentException or DllNotFoundException)
            {
                await Console.Error.WriteLineAsync("unitization-devbroker: " + ex.Message).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static async Task RunAsync(string directory, int brokerCount, IReadOnlyList<Unitization.Kafka.KafkaTopicOptions> topics, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var bootstrapFile = Path.Join(directory, "kafka.bootstrap");
        var controlFile = Path.Join(directory, "control.url");
        File.Delete(bootstrapFile);
        File.Delete(controlFile);

        using var cluster = new MockCluster(brokerCount);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        await using (app.ConfigureAwait(false))
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Unitization.DevBroker");
            foreach (var topic in topics)
            {
                cluster.CreateTopic(topic.Name, topic.Partitions);
                DevBrokerLog.TopicCreated(logger, topic.Name, topic.Partitions);
            }

            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.Bootstrap }).Build();
            ControlApi.Map(app, cluster, admin, logger);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var controlUrl = app.Urls.First();
            WriteAtomically(controlFile, controlUrl);
            WriteAtomically(bootstrapFile, cluster.Bootstrap);
            DevBrokerLog.Started(logger, cluster.BrokerCount, cluster.Bootstrap, MockCluster.LibraryVersion, controlUrl);

            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            File.Delete(bootstrapFile);
            File.Delete(controlFile);
            DevBrokerLog.Stopped(logger, directory);
        }
    }

    private static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text + "\n");
        File.Move(temp, path, overwrite: true);
    }
}
