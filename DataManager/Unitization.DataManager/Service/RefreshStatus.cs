namespace Unitization.DataManager.Service;

/// <summary>The state of the plan refresh, for <c>GET /api/v1/placement/refresh</c>.</summary>
internal sealed record RefreshStatus(string State, string Phase, double Progress, long? Version, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error);
