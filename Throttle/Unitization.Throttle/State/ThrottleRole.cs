namespace Unitization.Throttle.State;

/// <summary>
/// The answering instance's part in its fleet: <c>leader</c> (it grants the links' leases, under fencing
/// <paramref name="Epoch"/>), <c>standby</c> (it sends clients on with 503) or <c>electing</c> (at start, or a new leader
/// waiting out its predecessor's leases). A single instance without a state store leads alone, with no epoch.
/// </summary>
public sealed record ThrottleRole(string State, long? Epoch);
