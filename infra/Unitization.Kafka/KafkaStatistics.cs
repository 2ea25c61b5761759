using System.Text.Json;

namespace Unitization.Kafka;

/// <summary>
/// Reads librdkafka's statistics JSON (<c>statistics.interval.ms</c>): how many brokers the client knows and how many
/// it is connected to (<c>brokers.{name}.state</c> "UP"; entries with <c>nodeid</c> -1 are bootstrap addresses). A
/// client whose brokers are all down keeps retrying quietly: this is how health sees it.
/// </summary>
public static class KafkaStatistics
{
    public static (int Known, int Up) BrokersUp(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("brokers", out var brokers) || brokers.ValueKind != JsonValueKind.Object)
            {
                return (0, 0);
            }

            var (known, up) = (0, 0);
            foreach (var broker in brokers.EnumerateObject())
            {
                if (broker.Value.TryGetProperty("nodeid", out var id) && id.TryGetInt32(out var nodeId) && nodeId < 0)
                {
                    continue;
                }

                known++;
                if (broker.Value.TryGetProperty("state", out var state) && state.ValueEquals("UP"))
                {
                    up++;
                }
            }

            return (known, up);
        }
        catch (JsonException)
        {
            return (0, 0);
        }
    }
}
