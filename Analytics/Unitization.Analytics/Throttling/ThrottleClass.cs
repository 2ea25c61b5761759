namespace Unitization.Analytics.Throttling;

/// <summary>One priority class over all links: bytes the throttle granted since it started, and bytes waiting now.</summary>
internal sealed record ThrottleClass(string Priority, long GrantedBytes, long WaitingBytes);
