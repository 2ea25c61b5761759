namespace Unitization.Analytics.Storage;

/// <summary>
/// The Analytics tables (ClickHouse 18.16 SQL; every statement idempotent, applied in order at start):
/// <c>traffic</c>, one row per record, MergeTree partitioned by day; rollups kept by materialized views on insert:
/// <c>traffic_job_hourly</c> (per job, link and operation per hour) and <c>traffic_link_minutely</c> (per link per
/// minute), both SummingMergeTree. Rows reach <c>traffic</c> once per record id (the ingest dedupes before it inserts),
/// so the rollups stay exact under replay.
/// </summary>
internal static class TrafficSchema
{
    public const string Traffic = "traffic";
    public const string JobHourly = "traffic_job_hourly";
    public const string LinkMinutely = "traffic_link_minutely";

    public static readonly string[] Columns =
        ["time", "job", "source_dc", "destination_dc", "bytes", "operation", "component", "id", "id_hash", "lag_seconds"];

    public static readonly IReadOnlyDictionary<string, string> ColumnTypes = new Dictionary<string, string>
    {
        ["time"] = "DateTime",
        ["job"] = "String",
        ["source_dc"] = "String",
        ["destination_dc"] = "String",
        ["bytes"] = "UInt64",
        ["operation"] = "String",
        ["component"] = "String",
        ["id"] = "String",
        ["id_hash"] = "UInt64",
        ["lag_seconds"] = "Nullable(Float64)",
    };

    public static IEnumerable<string> Statements(string database)
    {
        var db = ClickHouseSql.Identifier(database);
        yield return $"CREATE DATABASE IF NOT EXISTS {db}";
        var columns = string.Join(", ", Columns.Select(c => $"{c} {ColumnTypes[c]}"));
        yield return $"CREATE TABLE IF NOT EXISTS {db}.{Traffic} ({columns}) " +
                     "ENGINE = MergeTree PARTITION BY toDate(time) ORDER BY (time, job)";
        yield return $"CREATE TABLE IF NOT EXISTS {db}.{JobHourly} " +
                     "(hour DateTime, job String, source_dc String, destination_dc String, operation String, bytes UInt64, records UInt64) " +
                     "ENGINE = SummingMergeTree PARTITION BY toDate(hour) ORDER BY (hour, job, source_dc, destination_dc, operation)";
        yield return $"CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.{JobHourly}_mv TO {db}.{JobHourly} AS " +
                     "SELECT toStartOfHour(time) AS hour, job, source_dc, destination_dc, operation, sum(bytes) AS bytes, count() AS records " +
                     $"FROM {db}.{Traffic} GROUP BY hour, job, source_dc, destination_dc, operation";
        yield return $"CREATE TABLE IF NOT EXISTS {db}.{LinkMinutely} " +
                     "(minute DateTime, source_dc String, destination_dc String, bytes UInt64, records UInt64) " +
                     "ENGINE = SummingMergeTree PARTITION BY toDate(minute) ORDER BY (minute, source_dc, destination_dc)";
        yield return $"CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.{LinkMinutely}_mv TO {db}.{LinkMinutely} AS " +
                     "SELECT toStartOfMinute(time) AS minute, source_dc, destination_dc, sum(bytes) AS bytes, count() AS records " +
                     $"FROM {db}.{Traffic} GROUP BY minute, source_dc, destination_dc";
    }
}
