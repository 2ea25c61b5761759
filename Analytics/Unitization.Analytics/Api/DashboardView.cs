using Unitization.Analytics.Queries;

namespace Unitization.Analytics.Api;

/// <summary>Everything one dashboard refresh shows (every panel over the same window), as data: the page draws its charts with uPlot from <see cref="Links"/>, <see cref="Lag"/> and <see cref="Throttle"/>.</summary>
internal sealed record DashboardView(
    string Window,
    int RefreshSeconds,
    TopJobsReport Top,
    SuggestionsReport Suggestions,
    LinkUsageReport Links,
    ReplicationLagReport Lag,
    ThrottleView Throttle,
    IngestView Ingest);
