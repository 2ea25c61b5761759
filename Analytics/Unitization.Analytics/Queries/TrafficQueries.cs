using System.Text.Json;
using Unitization.Analytics.Storage;

namespace Unitization.Analytics.Queries;

/// <summary>
/// The reads behind the JSON API and the dashboard. Top jobs and suggestions read the hourly rollup for whole hours
/// and the raw table for the partial first hour of the window; link usage reads the minute rollup; lag reads the raw
/// replicator records. Only records whose source and destination differ count as cross-datacenter bytes.
/// </summary>
internal sealed class TrafficQueries
{
    private readonly TrafficTable _table;
    private readonly TimeProvider _time;

    public TrafficQueries(TrafficTable table, TimeProvider time)
    {
        _table = table;
        _time = time;
    }

    public async Task<TopJobsReport> TopJobsAsync(string windowText, TimeSpan window, int limit, CancellationToken cancellationToken)
    {
        var (from, to) = Range(window);
        var sql = $"""
            SELECT job, sum(bytes) AS total, sum(records) AS n, argMax(link, bytes) AS top_link FROM (
              SELECT job, concat(source_dc, '→', destination_dc) AS link, bytes, records FROM {TrafficSchema.JobHourly}
              WHERE {HourlyRange(from)} AND source_dc != destination_dc
              UNION ALL
              SELECT job, concat(source_dc, '→', destination_dc) AS link, bytes, toUInt64(1) AS records FROM {TrafficSchema.Traffic}
              WHERE {RawEdge(from)} AND source_dc != destination_dc)
            GROUP BY job ORDER BY total DESC, job LIMIT {limit}
            """;
        var rows = await QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        var jobs = rows.Select((r, i) => new TopJob(i + 1, JsonCell.Text(r, "job"), JsonCell.Int64(r, "total"), JsonCell.Int64(r, "n"), JsonCell.Text(r, "top_link"))).ToList();
        return new TopJobsReport(windowText, from, to, jobs);
    }

    public async Task<LinkUsageReport> LinkUsageAsync(string windowText, TimeSpan window, CancellationToken cancellationToken)
    {
        var (from, to) = Range(window);
        var step = StepFor(window);
        var sql = $"""
            SELECT toDateTime(intDiv(toUInt32(minute), {step}) * {step}) AS bucket, source_dc, destination_dc, sum(bytes) AS total
            FROM {TrafficSchema.LinkMinutely}
            WHERE minute >= {ClickHouseSql.DateTime(from)} AND source_dc != destination_dc
            GROUP BY bucket, source_dc, destination_dc ORDER BY source_dc, destination_dc, bucket
            """;
        var rows = await QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        var measured = rows
            .GroupBy(r => (Source: JsonCell.Text(r, "source_dc"), Destination: JsonCell.Text(r, "destination_dc")))
            .ToDictionary(g => g.Key, g => g.ToDictionary(r => JsonCell.Time(r, "bucket"), r => JsonCell.Int64(r, "total") / (double)step));
        var first = DateTimeOffset.FromUnixTimeSeconds(from.ToUnixTimeSeconds() / step * step);
        var links = measured
            .OrderBy(l => l.Key.Source, StringComparer.Ordinal).ThenBy(l => l.Key.Destination, StringComparer.Ordinal)
            .Select(l =>
            {
                var points = new List<UsagePoint>();
                for (var t = first; t <= to; t = t.AddSeconds(step))
                {
                    points.Add(new UsagePoint(t, l.Value.TryGetValue(t, out var rate) ? rate : 0));
                }

                return new LinkUsage(l.Key.Source, l.Key.Destination, points);
            })
            .ToList();
        return new LinkUsageReport(windowText, step, from, to, links);
    }

    public async Task<ReplicationLagReport> ReplicationLagAsync(string windowText, TimeSpan window, CancellationToken cancellationToken)
    {
        var (from, _) = Range(window);
        var step = StepFor(window);
        var where = $"time >= {ClickHouseSql.DateTime(from)} AND component = 'replicator' AND isNotNull(lag_seconds)";
        var perLink = await QueryAsync(
            $"""
            SELECT source_dc, destination_dc, count() AS n, quantilesExact(0.5, 0.9, 0.99)(assumeNotNull(lag_seconds)) AS q, max(assumeNotNull(lag_seconds)) AS worst
            FROM {TrafficSchema.Traffic} WHERE {where} GROUP BY source_dc, destination_dc ORDER BY source_dc, destination_dc
            """, cancellationToken).ConfigureAwait(false);
        var series = await QueryAsync(
            $"""
            SELECT toDateTime(intDiv(toUInt32(time), {step}) * {step}) AS bucket, quantilesExact(0.5, 0.99)(assumeNotNull(lag_seconds)) AS q
            FROM {TrafficSchema.Traffic} WHERE {where} GROUP BY bucket ORDER BY bucket
            """, cancellationToken).ConfigureAwait(false);
        var links = perLink.Select(r =>
        {
            var q = r.GetProperty("q");
            return new LagPercentiles(JsonCell.Text(r, "source_dc"), JsonCell.Text(r, "destination_dc"), JsonCell.Int64(r, "n"),
                JsonCell.Double(q[0]), JsonCell.Double(q[1]), JsonCell.Double(q[2]), JsonCell.Double(r, "worst"));
        }).ToList();
        var points = series.Select(r =>
        {
            var q = r.GetProperty("q");
            return new LagPoint(JsonCell.Time(r, "bucket"), JsonCell.Double(q[0]), JsonCell.Double(q[1]));
        }).ToList();
        return new ReplicationLagReport(windowText, step, links, points);
    }

    /// <summary>
    /// Per job (router and client traffic; the replicator's copies are not jobs to move): where it runs now (the end of
    /// its records that is the job's side: the destination of a read, the source of a write), and for every datacenter
    /// the bytes that would cross if it ran there (the cost model's rule: a read crosses unless the job's datacenter
    /// holds the data, a write crosses unless it is the output's datacenter). Local records (same source and
    /// destination) tell what a move would start sending across.
    /// </summary>
    /// <summary>
    /// Jobs to re-place: the jobs with the most measured cross-datacenter bytes are priced by DataManager's cost model
    /// (<paramref name="dataManager"/> at <paramref name="dataManagerBase"/>); jobs it does not know, or all of them
    /// when it cannot answer, get the estimate from their measured flows. The report's model says which and why.
    /// </summary>
    public async Task<SuggestionsReport> SuggestionsAsync(
        string windowText, TimeSpan window, int limit, IReadOnlyCollection<string> datacenters, DataManagerMoves dataManager, Uri dataManagerBase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataManager);
        var (from, _) = Range(window);
        var sql = $"""
            SELECT job,
              if(operation = 'write', source_dc, destination_dc) AS job_dc,
              if(operation = 'write', destination_dc, source_dc) AS data_dc,
              sum(bytes) AS total
            FROM (
              SELECT job, source_dc, destination_dc, operation, bytes FROM {TrafficSchema.JobHourly} WHERE {HourlyRange(from)}
              UNION ALL
              SELECT job, source_dc, destination_dc, operation, bytes FROM {TrafficSchema.Traffic} WHERE {RawEdge(from)} AND component != 'replicator')
            GROUP BY job, job_dc, data_dc
            """;
        var rows = await QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        var replicatorJobs = await QueryAsync(
            $"SELECT DISTINCT job FROM {TrafficSchema.Traffic} WHERE time >= {ClickHouseSql.DateTime(from)} AND component = 'replicator'", cancellationToken).ConfigureAwait(false);
        var excluded = replicatorJobs.Select(r => JsonCell.Text(r, "job")).ToHashSet(StringComparer.Ordinal);
        var flows = rows
            .Where(r => !excluded.Contains(JsonCell.Text(r, "job")))
            .Select(r => new JobFlow(JsonCell.Text(r, "job"), JsonCell.Text(r, "job_dc"), JsonCell.Text(r, "data_dc"), JsonCell.Int64(r, "total")))
            .ToList();
        var crossBytes = flows.Where(f => f.JobDatacenter != f.DataDatacenter).GroupBy(f => f.Job, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(f => f.Bytes), StringComparer.Ordinal);
        var runsIn = PlacementModel.RunsIn(flows);
        var candidates = crossBytes.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(PlacementModel.CandidateJobs)
            .ToDictionary(c => c.Key, c => runsIn[c.Key], StringComparer.Ordinal);
        var priced = await dataManager.EstimateAsync(dataManagerBase, candidates, cancellationToken).ConfigureAwait(false);
        var measured = PlacementModel.Suggest(flows, datacenters, window);
        var suggestions = PlacementModel.Combine(measured, crossBytes, priced.Jobs, window).Take(limit).ToList();
        var model = priced.Unavailable is { } why
            ? $"{PlacementModel.Description}; DataManager's cost model not used: {why}"
            : $"{priced.Model} (plan v{priced.PlanVersion}) for the {priced.Jobs.Count} of {candidates.Count} jobs it knows; {PlacementModel.Description} for the others";
        return new SuggestionsReport(windowText, model, suggestions);
    }

    private (DateTimeOffset From, DateTimeOffset To) Range(TimeSpan window)
    {
        var to = _time.GetUtcNow();
        var from = DateTimeOffset.FromUnixTimeSeconds((to - window).ToUnixTimeSeconds());
        return (from, to);
    }

    /// <summary>Whole hours at or after <paramref name="from"/> come from the hourly rollup.</summary>
    private static string HourlyRange(DateTimeOffset from) => $"hour >= {ClickHouseSql.DateTime(CeilingHour(from))}";

    /// <summary>The part of the window before its first whole hour comes from the raw table.</summary>
    private static string RawEdge(DateTimeOffset from) =>
        $"time >= {ClickHouseSql.DateTime(from)} AND time < {ClickHouseSql.DateTime(CeilingHour(from))}";

    private static DateTimeOffset CeilingHour(DateTimeOffset t)
    {
        var seconds = t.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds((seconds + 3599) / 3600 * 3600);
    }

    /// <summary>About 60 to 120 points a chart: one minute a point for an hour, an hour a point for a week.</summary>
    internal static int StepFor(TimeSpan window)
    {
        int[] steps = [60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400];
        foreach (var step in steps)
        {
            if (window.TotalSeconds / step <= 120)
            {
                return step;
            }
        }

        return steps[^1];
    }

    private async Task<IReadOnlyList<JsonElement>> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        await _table.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await _table.Http.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
    }
}
