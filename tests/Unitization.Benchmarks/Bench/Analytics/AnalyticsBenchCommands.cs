using System.CommandLine;
using Unitization.Analytics;

namespace Unitization.Benchmarks.Bench.Analytics;

/// <summary>The benchmarks Analytics contributes to <c>unitization bench</c>: <c>ingest</c> and <c>top</c>.</summary>
public static class AnalyticsBenchCommands
{
    public static IEnumerable<Command> Benchmarks()
    {
        var kafka = new Option<string?>("--kafka") { Description = "Kafka bootstrap servers (default: a librdkafka mock cluster in this process, as the dev broker hosts)" };
        var clickHouse = new Option<string>("--clickhouse") { Description = "ClickHouse HTTP URL", DefaultValueFactory = _ => "http://127.0.0.1:8123" };
        var records = new Option<int>("--records") { Description = "records to publish and ingest", DefaultValueFactory = _ => 1_000_000 };
        var perMessage = new Option<int>("--per-message") { Description = "records a Kafka message carries (JSON lines; 1: one record a message)", DefaultValueFactory = _ => 100 };
        var partitions = new Option<int>("--partitions") { Description = "partitions of the bench topic", DefaultValueFactory = _ => 16 };
        var batch = new Option<int>("--batch") { Description = "records an insert takes (Analytics:BatchSize)", DefaultValueFactory = _ => new AnalyticsOptions().BatchSize };
        var concurrency = new Option<int>("--insert-concurrency")
        {
            Description = "inserts in flight at once, in the ingest and in the ClickHouse-alone baseline (Analytics:InsertConcurrency)",
            DefaultValueFactory = _ => new AnalyticsOptions().InsertConcurrency,
        };
        var warmup = new Option<int>("--warmup")
        {
            Description = "records ingested first, untimed, so the timed run sees the service as it runs for days (methods compiled, buffers pooled); 0: none",
            DefaultValueFactory = _ => 200_000,
        };
        var ingest = new Command("ingest", "Traffic records per second from Kafka into ClickHouse through the analytics ingest, against a bare Kafka consumer side by side.")
        {
            kafka, clickHouse, records, perMessage, partitions, batch, concurrency, warmup,
        };
        ingest.SetAction((result, ct) => IngestBenchmark.RunAsync(
            result.GetValue(kafka), new Uri(result.GetValue(clickHouse)!), result.GetValue(records), result.GetValue(perMessage), result.GetValue(partitions), result.GetValue(batch),
            result.GetValue(concurrency), result.GetValue(warmup), ct));

        var clickHouseTop = new Option<string>("--clickhouse") { Description = "ClickHouse HTTP URL", DefaultValueFactory = _ => "http://127.0.0.1:8123" };
        var rows = new Option<int>("--rows") { Description = "rows in the traffic table", DefaultValueFactory = _ => 10_000_000 };
        var runs = new Option<int>("--runs") { Description = "timed runs per query", DefaultValueFactory = _ => 20 };
        var top = new Command("top", "Latency of the top-10 query (rollup plus raw edge) over a traffic table of N rows, against the same top-10 over the raw table.")
        {
            clickHouseTop, rows, runs,
        };
        top.SetAction((result, ct) => TopQueryBenchmark.RunAsync(new Uri(result.GetValue(clickHouseTop)!), result.GetValue(rows), result.GetValue(runs), ct));
        return [ingest, top];
    }
}
