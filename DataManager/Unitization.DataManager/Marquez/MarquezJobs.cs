namespace Unitization.DataManager.Marquez;

internal sealed record MarquezJobs(IReadOnlyList<MarquezJob> Jobs, int TotalCount);
