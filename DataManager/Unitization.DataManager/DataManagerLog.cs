using Microsoft.Extensions.Logging;

namespace Unitization.DataManager;

internal static partial class DataManagerLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Placement plan {Version} computed: {Jobs} jobs, {Datasets} datasets, {CrossDcBytesPerDay} cross-DC bytes/day, {MovedJobs} moves, {Seconds:F2}s")]
    public static partial void PlanComputed(ILogger logger, long version, int jobs, int datasets, double crossDcBytesPerDay, int movedJobs, double seconds);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Placement refresh failed")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Lineage received: {Accepted} events stored, {Skipped} skipped")]
    public static partial void LineageReceived(ILogger logger, int accepted, int skipped);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "No lineage stored yet: the plan refresh has nothing to place")]
    public static partial void NoLineage(ILogger logger);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Placement change {Change} applied")]
    public static partial void ChangeApplied(ILogger logger, string change);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Error, Message = "Placement change {Change} failed")]
    public static partial void ChangeFailed(ILogger logger, string change, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Plan version {Version}, saved by another instance, is now in force here")]
    public static partial void PlanReloaded(ILogger logger, long version);
}
