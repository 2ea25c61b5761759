using Microsoft.Extensions.Logging;

namespace Unitization.Router;

/// <summary>The router's log messages (event ids 4000-4099).</summary>
internal static partial class RouterLog
{
    [LoggerMessage(4000, LogLevel.Information, "Mount table loaded: {Count} mounts ({FromApi} from the admin API)")]
    public static partial void MountsLoaded(ILogger logger, int count, int fromApi);

    [LoggerMessage(4001, LogLevel.Information, "Mount {Path} {Change} through the admin API")]
    public static partial void MountChanged(ILogger logger, string path, string change);

    [LoggerMessage(4002, LogLevel.Warning, "Stored mount {Path} is invalid and is ignored: {Error}")]
    public static partial void StoredMountInvalid(ILogger logger, string path, string error);

    [LoggerMessage(4010, LogLevel.Information, "Following the edit log of {Datacenter} from txid {After}")]
    public static partial void FollowingEdits(ILogger logger, string datacenter, long after);

    [LoggerMessage(4011, LogLevel.Error, "Following the edit log of {Datacenter} failed; retrying (reads of its paths go to the primary meanwhile)")]
    public static partial void FollowFailed(ILogger logger, Exception exception, string datacenter);

    [LoggerMessage(4013, LogLevel.Information, "Resumed the versions of {Datacenter} from its checkpoint at txid {Position} ({Paths} paths, saved {SavedAt:O})")]
    public static partial void CheckpointResumed(ILogger logger, string datacenter, long position, int paths, DateTimeOffset savedAt);

    [LoggerMessage(4014, LogLevel.Warning, "The version checkpoint of {Datacenter} at txid {Position} is not used: {Why}; replaying its edit log from the start")]
    public static partial void CheckpointIgnored(ILogger logger, string datacenter, long position, string why);

    [LoggerMessage(4015, LogLevel.Warning, "Reading the version checkpoint of {Datacenter} failed; replaying its edit log from the start")]
    public static partial void CheckpointLoadFailed(ILogger logger, Exception exception, string datacenter);

    [LoggerMessage(4016, LogLevel.Debug, "Saved the version checkpoint of {Datacenter} at txid {Position} ({Paths} paths)")]
    public static partial void CheckpointSaved(ILogger logger, string datacenter, long position, int paths);

    [LoggerMessage(4017, LogLevel.Warning, "Saving the version checkpoint of {Datacenter} failed; retrying at the next interval")]
    public static partial void CheckpointSaveFailed(ILogger logger, Exception exception, string datacenter);

    [LoggerMessage(4012, LogLevel.Warning, "Refreshing replica versions or mounts from the state store failed; keeping the previous ones")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(4021, LogLevel.Warning, "Replica versions not refreshed for {AgeMs} ms (Router:ReplicaRecordsMaxAge): dropped, reads go to the primaries until a refresh succeeds")]
    public static partial void ReplicaRecordsDropped(ILogger logger, long ageMs);

    [LoggerMessage(4020, LogLevel.Information, "Cross-datacenter read {Path}: {Bytes} bytes {Source}->{Destination} for job {Job}")]
    public static partial void CrossDatacenterRead(ILogger logger, string path, long bytes, string source, string destination, string job);

    [LoggerMessage(4021, LogLevel.Warning, "Catching up with the primary {Datacenter} took over {Timeout} waiting for {What}; its reads go to the primary")]
    public static partial void CatchUpTimedOut(ILogger logger, string datacenter, TimeSpan timeout, string what);

    [LoggerMessage(4022, LogLevel.Warning, "Catching up with the primary {Datacenter} failed; its reads go to the primary until a catch-up succeeds")]
    public static partial void CatchUpFailed(ILogger logger, Exception exception, string datacenter);
}
