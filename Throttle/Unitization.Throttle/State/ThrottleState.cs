using Unitization.Throttle.Caps;

namespace Unitization.Throttle.State;

/// <summary>What <c>GET /api/v1/throttle/state</c> returns: every link, the caps in force and the leases outstanding.</summary>
public sealed record ThrottleState(DateTimeOffset At, IReadOnlyList<LinkState> Links, IReadOnlyList<TenantCap> Caps, LeaseSummary Leases);
