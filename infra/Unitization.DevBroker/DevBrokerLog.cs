using Microsoft.Extensions.Logging;

namespace Unitization.DevBroker;

internal static partial class DevBrokerLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Dev Kafka broker up: {Brokers} mock brokers at {Bootstrap} (librdkafka {Version}); control API at {ControlUrl}")]
    public static partial void Started(ILogger logger, int brokers, string bootstrap, string version, string controlUrl);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Created topic {Topic} with {Partitions} partition(s)")]
    public static partial void TopicCreated(ILogger logger, string topic, int partitions);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Control API: {Action}")]
    public static partial void ControlAction(ILogger logger, string action);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Dev Kafka broker stopped; removed {Directory}/kafka.bootstrap and control.url")]
    public static partial void Stopped(ILogger logger, string directory);
}
