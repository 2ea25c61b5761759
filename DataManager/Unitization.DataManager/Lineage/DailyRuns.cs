namespace Unitization.DataManager.Lineage;

/// <summary>One day of one job: how many runs finished.</summary>
internal sealed record DailyRuns(DateOnly Day, JobRef Job, string Dag, int Runs);
