using Microsoft.Extensions.Logging;

namespace Unitization.Throttle.Telemetry;

/// <summary>The throttle's log messages (event ids 5000–5099).</summary>
internal static partial class ThrottleLog
{
    [LoggerMessage(5001, LogLevel.Warning, "Link {Link} has no budget in Throttle:Links; its traffic is not throttled")]
    public static partial void UnknownLink(ILogger logger, string link);

    [LoggerMessage(5002, LogLevel.Information, "Cap on tenant {Tenant} set to {BytesPerSecond} B/s by {SetBy} ({Reason})")]
    public static partial void CapSet(ILogger logger, string tenant, double bytesPerSecond, string setBy, string? reason);

    [LoggerMessage(5003, LogLevel.Information, "Cap on tenant {Tenant} ({BytesPerSecond} B/s, set by {SetByBefore}) removed by {RemovedBy}")]
    public static partial void CapRemoved(ILogger logger, string tenant, double bytesPerSecond, string setByBefore, string removedBy);

    [LoggerMessage(5004, LogLevel.Information, "Rate of link {Link} changed to {BytesPerSecond} B/s by {SetBy}")]
    public static partial void RateChanged(ILogger logger, string link, double bytesPerSecond, string setBy);

    [LoggerMessage(5010, LogLevel.Warning, "Throttle service {Url} unreachable ({Reason}); falling back to {Share:P0} of each link's rate until it answers again")]
    public static partial void ServiceUnreachable(ILogger logger, Uri url, string reason, double share);

    [LoggerMessage(5011, LogLevel.Information, "Throttle service {Url} answers again; back to leases")]
    public static partial void ServiceRecovered(ILogger logger, Uri url);

    [LoggerMessage(5012, LogLevel.Error, "Throttle service {Url} refused a lease for link {Link}: {Status} {Detail}")]
    public static partial void LeaseRefused(ILogger logger, Uri url, string link, int status, string detail);

    [LoggerMessage(5014, LogLevel.Warning, "Throttle leadership: the state store did not answer the election ({Reason}); standby until it does")]
    public static partial void ElectionFailed(ILogger logger, string reason);

    [LoggerMessage(5015, LogLevel.Information, "This throttle instance now holds the fleet's link budgets (epoch {Epoch}; waited {GraceMilliseconds} ms for its predecessor's leases to run out)")]
    public static partial void Leading(ILogger logger, long epoch, double graceMilliseconds);

    [LoggerMessage(5016, LogLevel.Warning, "This throttle instance no longer holds the fleet's link budgets (epoch {Epoch}); standby")]
    public static partial void LeadershipLost(ILogger logger, long epoch);

    [LoggerMessage(5013, LogLevel.Information, "No Throttle:ServiceUrl and no throttle role in this process: budgeting links locally at their full rate")]
    public static partial void LocalOnly(ILogger logger);
}
