using Unitization.Throttle.Budget;

namespace Unitization.Replication.Migration;

/// <summary>
/// A migration's state as the progress bar and <c>GET /api/v1/migrations/{id}</c> show it: what it migrates, at which
/// priority and cap, its phase, <see cref="Progress"/> (bytes and files done of the total, rate, time left), the snapshot
/// and replica version txids, and a note (e.g. that the target already held the snapshot) or the error.
/// </summary>
public sealed record MigrationProgress(
    string Id,
    string Source,
    string Path,
    string Target,
    TrafficPriority Priority,
    long? RateCap,
    string Phase,
    CopyProgress Progress,
    long SnapshotTxId,
    long? VersionTxId,
    string? Note,
    string? Error,
    DateTimeOffset UpdatedAt);
