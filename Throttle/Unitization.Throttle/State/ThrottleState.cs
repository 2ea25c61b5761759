using Unitization.Throttle.Caps;

namespace Unitization.Throttle.State;

/// <summary>
/// What <c>GET /api/v1/throttle/state</c> returns: every link, the caps in force, the leases outstanding, and the
/// answering instance's part in its fleet (ask each instance to find the leader).
/// </summary>
public sealed record ThrottleState(DateTimeOffset At, IReadOnlyList<LinkState> Links, IReadOnlyList<TenantCap> Caps, LeaseSummary Leases, ThrottleRole Role);
