using Microsoft.Extensions.Logging;

namespace Unitization.StateStore;

internal static partial class StateStoreLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied state store migration {MigrationId}")]
    public static partial void MigrationApplied(ILogger logger, string migrationId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Leader of {Lease}: {Holder} (epoch {Epoch})")]
    public static partial void Elected(ILogger logger, string lease, string holder, long epoch);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Standby for {Lease}: {Holder} waits while another process leads")]
    public static partial void Standby(ILogger logger, string lease, string holder);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Leadership of {Lease} (epoch {Epoch}) lost: {Reason}")]
    public static partial void Lost(ILogger logger, string lease, long epoch, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Leadership of {Lease} (epoch {Epoch}) given up")]
    public static partial void Released(ILogger logger, string lease, long epoch);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Election for {Lease} could not reach the state store: {Error}")]
    public static partial void ElectionFailed(ILogger logger, string lease, string error);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Reloading after a '{Kind}' change failed (the next change or reconnect retries): {Error}")]
    public static partial void ReloadFailed(ILogger logger, string kind, string error);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "The state store's change feed lost its connection ({Error}); listening again in {Delay}")]
    public static partial void ChangeFeedBroken(ILogger logger, string error, TimeSpan delay);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "The firing of {Job} was not recorded in scheduler_firings (the job runs): {Error}")]
    public static partial void FiringNotRecorded(ILogger logger, string job, string error);
}
