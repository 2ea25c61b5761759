using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Unitization.Analytics.Traffic;

namespace Unitization.Benchmarks.Analytics;

/// <summary>
/// Reading one traffic message, the ingest's per-record CPU cost: the validating reader the role uses (the flat
/// shortcut for the shape producers write, the full Utf8JsonReader path for anything else) against
/// <see cref="JsonSerializer"/> deserializing the same record (no validation) as the baseline.
/// </summary>
[MemoryDiagnoser]
public class TrafficRecordParseBenchmarks
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private byte[] _message = [];

    [GlobalSetup]
    public void Setup() => _message = TrafficRecordJson.Serialize(new TrafficRecord(
        "router-7f3a-000042", "etl.orders_daily", "dcB", "dcA", 104_857_600, "read", "router", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));

    [Benchmark(Baseline = true)]
    public TrafficRecord? JsonSerializerDeserialize() => JsonSerializer.Deserialize<TrafficRecord>(_message, Web);

    [Benchmark]
    public TrafficRecord? ValidatingReader() => TrafficRecordJson.TryParse(_message, out var record, out _) ? record : null;

    [Benchmark]
    public TrafficRecord? FullReaderOnly() => TrafficRecordJson.TryParseWithReader(_message, out var record, out _) ? record : null;
}
