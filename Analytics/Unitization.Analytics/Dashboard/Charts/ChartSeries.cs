namespace Unitization.Analytics.Dashboard.Charts;

/// <summary>One line of a time chart; <see cref="Dashed"/> for a limit such as a link's capacity.</summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<(DateTimeOffset Time, double Value)> Points, string Color, bool Dashed = false);
