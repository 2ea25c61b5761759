namespace Unitization.Replication.Lifecycle;

/// <summary>One line of the lifecycle's history: a replica marked expiring, kept (its rule came back) or retired.</summary>
public sealed record LifecycleEntry(DateTimeOffset At, string Action, string Datacenter, string Path, string Reason);
