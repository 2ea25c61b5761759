using System.Diagnostics.Metrics;
using Unitization.Analytics.Ingest;

namespace Unitization.Analytics.Telemetry;

/// <summary>
/// The traffic ingest's instruments (meter <c>Unitization.Analytics</c>), read from the counts the ingest keeps as it
/// works (<see cref="IngestStatus"/>): records consumed, rows stored (a rate of it is rows per second), duplicates
/// skipped, records dead-lettered, and the batches spooled on disk waiting for ClickHouse.
/// </summary>
internal sealed class AnalyticsMetrics : IDisposable
{
    public const string MeterName = "Unitization.Analytics";

    private readonly Meter _meter;

    public AnalyticsMetrics(IMeterFactory? meterFactory, IngestStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableCounter("unitization.analytics.ingest.consumed", () => status.Consumed, "{record}", "Traffic records consumed from the traffic topic.");
        _meter.CreateObservableCounter("unitization.analytics.ingest.rows", () => status.Stored, "{row}", "Traffic rows stored in ClickHouse.");
        _meter.CreateObservableCounter("unitization.analytics.ingest.duplicates", () => status.Duplicates, "{record}", "Records skipped as already stored.");
        _meter.CreateObservableCounter("unitization.analytics.dead_letters", () => status.DeadLettered, "{record}", "Records sent to the traffic dead-letter topic.");
        _meter.CreateObservableGauge("unitization.analytics.spool.depth", () => status.PendingSpoolFiles, "{batch}", "Batches spooled on disk waiting for ClickHouse.");
    }

    public void Dispose() => _meter.Dispose();
}
