namespace Unitization.Analytics.Queries;

internal sealed record TopJobsReport(string Window, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<TopJob> Jobs);
