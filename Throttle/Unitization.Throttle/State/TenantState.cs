using Unitization.Throttle.Budget;

namespace Unitization.Throttle.State;

/// <summary>One tenant in one class of a link: weight, bytes granted, what waits, and its cap if an SRE set one.</summary>
public sealed record TenantState(
    string Tenant,
    TrafficPriority Priority,
    double Weight,
    long GrantedBytes,
    int WaitingRequests,
    long WaitingBytes,
    double? CapBytesPerSecond);
