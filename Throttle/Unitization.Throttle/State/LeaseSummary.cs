namespace Unitization.Throttle.State;

/// <summary>Leases the service has handed out: how many are still live, and all bytes granted through leases.</summary>
public sealed record LeaseSummary(int Active, long ActiveBytes, long GrantedTotal, long Requests, long TimedOut);
