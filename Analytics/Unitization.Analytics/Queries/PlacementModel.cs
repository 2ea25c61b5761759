namespace Unitization.Analytics.Queries;

/// <summary>
/// Re-placement suggestions from measured traffic, by the architecture's cost model restricted to what traffic
/// records show: a job in datacenter d moves a flow's bytes across a link unless the flow's data side is d. The current
/// datacenter of a job is the one where most of its bytes arrive or leave from. (DataManager's full model also prices
/// replicas and balance; once its placement API is wired in, it supersedes this estimate.)
/// </summary>
internal static class PlacementModel
{
    public const string Measured = "measured";

    public const string FromDataManager = "datamanager";

    public const string Description =
        "measured traffic, cost model 'a job in d moves a flow across unless the flow's data is in d' (replica and balance costs not included)";

    /// <summary>Where each job runs, as its traffic shows: the datacenter where most of its bytes arrive or leave.</summary>
    public static Dictionary<string, string> RunsIn(IEnumerable<JobFlow> flows) =>
        flows.GroupBy(f => f.Job, StringComparer.Ordinal).ToDictionary(g => g.Key, MostBytesIn, StringComparer.Ordinal);

    private static string MostBytesIn(IEnumerable<JobFlow> job) =>
        job.GroupBy(f => f.JobDatacenter, StringComparer.Ordinal)
            .OrderByDescending(g => g.Sum(f => f.Bytes)).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;

    /// <summary>How many of the jobs with the most cross-datacenter bytes are priced by DataManager.</summary>
    public const int CandidateJobs = 500;

    /// <summary>
    /// The suggestions for jobs DataManager knows come from its cost model: the fitting move that lowers the plan's
    /// cost most (none when every move costs more: the job is where it belongs); the other jobs keep the measured
    /// estimate. Savings per day are DataManager's; the window's figures are the measured bytes scaled by them.
    /// </summary>
    public static IEnumerable<PlacementSuggestion> Combine(
        IEnumerable<PlacementSuggestion> measured, IReadOnlyDictionary<string, long> crossBytes, IReadOnlyList<JobMoves> priced, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(crossBytes);
        ArgumentNullException.ThrowIfNull(priced);
        var known = priced.Select(p => p.Job).ToHashSet(StringComparer.Ordinal);
        var windowDays = window / TimeSpan.FromDays(1);
        var fromModel = new List<PlacementSuggestion>();
        foreach (var job in priced)
        {
            var best = job.Moves.Where(m => m.Fits && m.DeltaBytesPerDay < 0).OrderBy(m => m.DeltaBytesPerDay).ThenBy(m => m.Datacenter, StringComparer.Ordinal).FirstOrDefault();
            if (best is null)
            {
                continue;
            }

            var now = crossBytes.GetValueOrDefault(job.Job);
            var savingPerDay = (long)Math.Round(-best.DeltaBytesPerDay);
            var saving = Math.Min(now, (long)Math.Round(savingPerDay * windowDays));
            fromModel.Add(new PlacementSuggestion(job.Job, job.Datacenter, best.Datacenter, now, now - saving, saving, savingPerDay) { Model = FromDataManager });
        }

        return fromModel.Concat(measured.Where(s => !known.Contains(s.Job)))
            .OrderByDescending(s => s.SavingBytesPerDay).ThenBy(s => s.Job, StringComparer.Ordinal);
    }

    public static IEnumerable<PlacementSuggestion> Suggest(IEnumerable<JobFlow> flows, IReadOnlyCollection<string> datacenters, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(flows);
        ArgumentNullException.ThrowIfNull(datacenters);
        var perDay = TimeSpan.FromDays(1) / window;
        var suggestions = new List<PlacementSuggestion>();
        foreach (var job in flows.GroupBy(f => f.Job, StringComparer.Ordinal))
        {
            var current = MostBytesIn(job);
            var bytesByData = job.GroupBy(f => f.DataDatacenter, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(f => f.Bytes), StringComparer.Ordinal);
            var total = bytesByData.Values.Sum();
            var crossNow = job.Where(f => f.JobDatacenter != f.DataDatacenter).Sum(f => f.Bytes);
            var candidates = datacenters.Concat(bytesByData.Keys).Distinct(StringComparer.Ordinal).Where(d => d != current);
            var best = candidates
                .Select(d => (Datacenter: d, Cross: total - bytesByData.GetValueOrDefault(d)))
                .OrderBy(c => c.Cross).ThenBy(c => c.Datacenter, StringComparer.Ordinal)
                .FirstOrDefault();
            if (best.Datacenter is null || best.Cross >= crossNow)
            {
                continue;
            }

            var saving = crossNow - best.Cross;
            suggestions.Add(new PlacementSuggestion(job.Key, current, best.Datacenter, crossNow, best.Cross, saving, (long)(saving * perDay)));
        }

        return suggestions.OrderByDescending(s => s.SavingBytes).ThenBy(s => s.Job, StringComparer.Ordinal);
    }
}
