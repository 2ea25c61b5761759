namespace Unitization.Analytics.Queries;

internal sealed record LinkUsageReport(string Window, int StepSeconds, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<LinkUsage> Links);
