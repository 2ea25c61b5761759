using Unitization.Analytics.Queries;

namespace Unitization.Analytics.Api;

/// <summary>Everything one dashboard refresh shows (every panel over the same window), with the charts already drawn as SVG.</summary>
internal sealed record DashboardView(
    string Window,
    int RefreshSeconds,
    TopJobsReport Top,
    SuggestionsReport Suggestions,
    LinkUsageReport Links,
    ReplicationLagReport Lag,
    ThrottleView Throttle,
    IngestView Ingest,
    IReadOnlyDictionary<string, string> Charts);
