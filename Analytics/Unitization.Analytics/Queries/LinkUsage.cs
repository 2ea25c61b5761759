namespace Unitization.Analytics.Queries;

internal sealed record LinkUsage(string Source, string Destination, IReadOnlyList<UsagePoint> Points);
