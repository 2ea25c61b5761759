using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Unitization.Analytics.Queries;
using Unitization.Analytics.Storage;

namespace Unitization.Benchmarks.Bench.Analytics;

/// <summary>
/// <c>unitization bench top</c>: fills a fresh database's <c>traffic</c> table with N rows spread over the last day
/// (5000 jobs; the materialized rollups fill as on any insert), then times the API's top-10 query (hourly rollup plus
/// the raw partial hour) against the same top-10 computed from the raw table alone, side by side.
/// </summary>
internal static class TopQueryBenchmark
{
    private const int Chunk = 1_000_000;

    public static async Task<int> RunAsync(Uri clickHouse, int rows, int runs, CancellationToken cancellationToken)
    {
        var database = "bench_top_" + Guid.NewGuid().ToString("N")[..8];
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        using var table = new TrafficTable(http, clickHouse, database);
        await table.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"loading {rows:N0} rows into {database}.traffic", maxValue: rows);
                for (long start = 0; start < rows; start += Chunk)
                {
                    var count = Math.Min(Chunk, rows - start);
                    await table.Http.ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"""
                        INSERT INTO traffic (time, job, source_dc, destination_dc, bytes, operation, component, id, id_hash, lag_seconds)
                        SELECT toDateTime(now() - (n % 86400)), concat('job-', toString(n % 5000)), if(n % 3 = 0, 'dcA', 'dcB'),
                               if(n % 3 = 0, 'dcB', if(n % 5 = 0, 'dcB', 'dcA')), 1000 + n % 100000, 'read', 'router',
                               concat('bench-', toString(n)), sipHash64(n), CAST(NULL AS Nullable(Float64))
                        FROM (SELECT number + {start} AS n FROM system.numbers LIMIT {count})
                        """), cancellationToken).ConfigureAwait(false);
                    task.Value = start + count;
                }
            }).ConfigureAwait(false);

            var queries = new TrafficQueries(table, TimeProvider.System);
            var grid = new Table().AddColumns("rollup parts", "window", "query", "median ms", "p95 ms", "ratio to baseline");
            await MeasureAsync(table, queries, "as loaded", runs, grid, cancellationToken).ConfigureAwait(false);
            // what ClickHouse's background merges reach on their own, done at once
            await table.Http.ExecuteAsync($"OPTIMIZE TABLE {TrafficSchema.JobHourly} FINAL", cancellationToken).ConfigureAwait(false);
            await MeasureAsync(table, queries, "merged", runs, grid, cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"[grey]{rows:N0} rows in {database}.traffic, {runs} timed runs per query after one warm-up[/]");
            AnsiConsole.Write(grid);
        }
        finally
        {
            await new ClickHouseHttp(http, clickHouse, null).DropDatabaseAsync(database, CancellationToken.None).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task MeasureAsync(TrafficTable table, TrafficQueries queries, string state, int runs, Table grid, CancellationToken cancellationToken)
    {
        foreach (var window in new[] { "1h", "24h" })
        {
            TimeWindow.TryParse(window, out var span, out _);
            var from = ClickHouseSql.DateTime(TimeProvider.System.GetUtcNow() - span);
            var raw = $"SELECT job, sum(bytes) AS total FROM traffic WHERE time >= {from} AND source_dc != destination_dc GROUP BY job ORDER BY total DESC, job LIMIT 10";
            var baseline = await TimeAsync(runs, () => table.Http.QueryAsync(raw, cancellationToken)).ConfigureAwait(false);
            var api = await TimeAsync(runs, () => queries.TopJobsAsync(window, span, 10, cancellationToken)).ConfigureAwait(false);
            grid.AddRow(state, window, "raw table (baseline)", Ms(baseline.Median), Ms(baseline.P95), "1.00");
            grid.AddRow(state, window, "API top-10 (rollup + raw edge)", Ms(api.Median), Ms(api.P95), (api.Median / baseline.Median).ToString("0.00", CultureInfo.InvariantCulture));
        }
    }

    private static async Task<(double Median, double P95)> TimeAsync<T>(int runs, Func<Task<T>> query)
    {
        await query().ConfigureAwait(false);
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await query().ConfigureAwait(false);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return (times[times.Count / 2], times[Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.95) - 1)]);
    }

    private static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);
}
