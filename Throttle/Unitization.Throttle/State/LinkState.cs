namespace Unitization.Throttle.State;

/// <summary>One link's budget now: its rate, the tokens on hand, what it granted, what waits, by class and by tenant.</summary>
public sealed record LinkState(
    string Link,
    double BytesPerSecond,
    double BurstBytes,
    double AvailableBytes,
    long GrantedBytes,
    int WaitingRequests,
    IReadOnlyList<ClassState> Classes,
    IReadOnlyList<TenantState> Tenants);
