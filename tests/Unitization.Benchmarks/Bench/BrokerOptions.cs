using System.CommandLine;

namespace Unitization.Benchmarks.Bench;

/// <summary>
/// The broker options of a bench verb that needs Kafka: <c>--kafka HOST:PORT</c>, else the dev broker's bootstrap file
/// (<c>--bootstrap-file</c>, <c>.run/broker/kafka.bootstrap</c> by default) and its <c>control.url</c> beside it.
/// </summary>
internal sealed class BrokerOptions
{
    public Option<string?> Kafka { get; } = new("--kafka") { Description = "Bootstrap servers of the broker (default: the file --bootstrap-file)." };

    public Option<FileInfo> BootstrapFile { get; } = new("--bootstrap-file")
    {
        Description = "The dev broker's bootstrap file (infra/devbroker.sh start DIR --config infra/config/unitization.json writes DIR/kafka.bootstrap).",
        DefaultValueFactory = _ => new FileInfo(Path.Join(".run", "broker", "kafka.bootstrap")),
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Kafka);
        command.Options.Add(BootstrapFile);
    }

    /// <summary>The broker the options name, or null (with an error on stderr saying how to start one) when there is none.</summary>
    public async Task<BenchBroker?> ResolveAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var servers = parse.GetValue(Kafka);
        if (!string.IsNullOrWhiteSpace(servers))
        {
            return new BenchBroker(servers, null);
        }

        var file = parse.GetValue(BootstrapFile)!;
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync(
                $"error: no broker: {file.FullName} does not exist. Start the dev broker (infra/devbroker.sh start .run/broker --config infra/config/unitization.json) or pass --kafka HOST:PORT.").ConfigureAwait(false);
            return null;
        }

        servers = (await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false)).Trim();
        // the dev broker creates topics through its control API (it has no controller for Kafka's admin API)
        var controlFile = Path.Join(file.DirectoryName, "control.url");
        var control = File.Exists(controlFile) ? (await File.ReadAllTextAsync(controlFile, cancellationToken).ConfigureAwait(false)).Trim() : null;
        return new BenchBroker(servers, control);
    }
}
