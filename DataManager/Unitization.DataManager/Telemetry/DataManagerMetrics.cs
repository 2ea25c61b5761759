using System.Diagnostics.Metrics;

namespace Unitization.DataManager.Telemetry;

/// <summary>DataManager's instruments (meter <c>Unitization.DataManager</c>): how long placement refreshes take, by outcome.</summary>
internal sealed class DataManagerMetrics : IDisposable
{
    public const string MeterName = "Unitization.DataManager";

    private readonly Meter _meter;
    private readonly Histogram<double> _refresh;

    public DataManagerMetrics(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _refresh = _meter.CreateHistogram<double>(
            "unitization.datamanager.refresh.duration",
            "s",
            "Duration of a placement refresh (load lineage, place, store the plan), by outcome: planned, no-lineage or failed.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800] });
    }

    public void Refreshed(TimeSpan duration, string outcome) => _refresh.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => _meter.Dispose();
}
