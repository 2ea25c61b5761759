namespace Unitization.DataManager.Apply;

/// <summary>
/// <c>GET /api/v1/placement/changes</c>: what differs between plan <see cref="PlanVersion"/> and what is applied, with
/// the bytes to copy and the time that takes at the links' rates; <see cref="Unmapped"/> lists the plan's datasets
/// with no known path (the metastore never reported their location and no template maps them).
/// </summary>
internal sealed record PlacementChanges(long PlanVersion, IReadOnlyList<PlacementChange> Changes, long Bytes, double EstimatedSeconds, IReadOnlyList<string> Unmapped);
