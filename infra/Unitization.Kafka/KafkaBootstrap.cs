namespace Unitization.Kafka;

/// <summary>Finds the bootstrap address: explicit servers first, else the file the dev broker wrote.</summary>
public static class KafkaBootstrap
{
    public static string Resolve(KafkaOptions options, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            return options.BootstrapServers;
        }

        var file = Path.GetFullPath(Path.Combine(dataFolder, options.BootstrapFile));
        if (!File.Exists(file))
        {
            throw new InvalidOperationException(
                $"Kafka:BootstrapServers is not set and the dev broker's address file '{file}' does not exist. " +
                "Start the dev broker (infra/devbroker.sh start) or set Kafka:BootstrapServers (UNITIZATION_Kafka__BootstrapServers=host:port; " +
                "`unitization serve` also takes --kafka host:port).");
        }

        var text = File.ReadAllText(file).Trim();
        if (text.Length == 0)
        {
            throw new InvalidOperationException($"The dev broker's address file '{file}' is empty.");
        }

        return text;
    }
}
