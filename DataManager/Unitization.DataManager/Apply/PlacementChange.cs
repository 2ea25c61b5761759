namespace Unitization.DataManager.Apply;

/// <summary>
/// One difference between the plan in force and what is applied: a replica to bootstrap (copy <see cref="From"/> →
/// <see cref="To"/>, then mount it), a primary to move (copy, then switch), or a replica to retire (unmount it, then
/// the lifecycle deletes it after its grace period). <see cref="Bytes"/> is what the copy moves (null: the path holds
/// nothing yet); <see cref="EstimatedSeconds"/> is that over the link's configured rate.
/// </summary>
internal sealed record PlacementChange(
    string Id,
    string Kind,
    string Namespace,
    string Name,
    string Path,
    string From,
    string To,
    long? Bytes,
    double? EstimatedSeconds);
