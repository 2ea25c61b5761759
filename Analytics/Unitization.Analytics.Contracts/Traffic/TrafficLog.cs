using Microsoft.Extensions.Logging;

namespace Unitization.Analytics.Traffic;

/// <summary>The log lines of the traffic recorder (event id 6000, in Analytics' range 6000-6099).</summary>
internal static partial class TrafficLog
{
    [LoggerMessage(6000, LogLevel.Warning, "{Records} traffic records (the first {Id}) were not published to {Topic}: {Reason}")]
    public static partial void TrafficRecordsDropped(ILogger logger, int records, string id, string topic, string reason);
}
