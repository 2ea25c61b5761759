namespace Unitization.Analytics.Api;

internal sealed record PriorityWaiting(string Priority, double Waiting);
