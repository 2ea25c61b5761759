using Unitization.Throttle.Budget;

namespace Unitization.Throttle.State;

/// <summary>One priority class of a link: its floor (fraction of the link), bytes granted, requests and bytes waiting.</summary>
public sealed record ClassState(TrafficPriority Priority, double Floor, long GrantedBytes, int WaitingRequests, long WaitingBytes);
