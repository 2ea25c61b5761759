using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Unitization.Replication.Pump;

namespace Unitization.Replication.Telemetry;

/// <summary>
/// The replicator's instruments (meter <c>Unitization.Replication</c>): bytes copied and failed copies per link, the lag
/// from an event's publish to its replica's commit per link, the events this worker's partitions hold unapplied, and
/// the events sent to the dead-letter topic. Failures and dead letters are counted for every link from the start (at 0),
/// so an alert on them has a series before the first failure.
/// </summary>
internal sealed class ReplicationMetrics : IDisposable
{
    public const string MeterName = "Unitization.Replication";

    private readonly Meter _meter;
    private readonly Counter<long> _copied;
    private readonly Histogram<double> _lag;
    private readonly ConcurrentDictionary<(string Source, string Destination), long> _failures = new();
    private long _eventsBehind;

    public ReplicationMetrics(IMeterFactory? meterFactory, IEnumerable<string> datacenters, ReplicationHealth health)
    {
        ArgumentNullException.ThrowIfNull(datacenters);
        ArgumentNullException.ThrowIfNull(health);
        var ids = datacenters.ToList();
        foreach (var source in ids)
        {
            foreach (var destination in ids.Where(d => d != source))
            {
                _failures[(source, destination)] = 0;
            }
        }

        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _copied = _meter.CreateCounter<long>("unitization.replication.copy.bytes", "By", "Bytes copied into published replicas, by link.");
        _lag = _meter.CreateHistogram<double>(
            "unitization.replication.lag",
            "s",
            "From the pump's publish of an event to the commit of its replica, by link.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600] });
        _meter.CreateObservableCounter(
            "unitization.replication.copy.failures",
            () => _failures.Select(f => new Measurement<long>(f.Value, Link(f.Key.Source, f.Key.Destination))),
            "{copy}",
            "Replica copies that failed (staging, verification or a source that kept changing), by link.");
        _meter.CreateObservableGauge("unitization.replication.events_behind", () => Interlocked.Read(ref _eventsBehind), "{event}",
            "Events on this worker's assigned partitions of the events topic not applied yet (high watermark minus position).");
        _meter.CreateObservableCounter("unitization.replication.dead_letters", () => health.DeadLetters, "{event}",
            "Events sent to the dead-letter topic with their reason.");
    }

    public void Copied(string source, string destination, long bytes) => _copied.Add(bytes, Link(source, destination));

    public void CopyFailed(string source, string destination) => _failures.AddOrUpdate((source, destination), 1, (_, n) => n + 1);

    public void Committed(string source, string destination, TimeSpan lag) => _lag.Record(Math.Max(0, lag.TotalSeconds), Link(source, destination));

    public void EventsBehind(long events) => Interlocked.Exchange(ref _eventsBehind, Math.Max(0, events));

    public void Dispose() => _meter.Dispose();

    private static ReadOnlySpan<KeyValuePair<string, object?>> Link(string source, string destination) =>
        new KeyValuePair<string, object?>[] { new("source", source), new("destination", destination) };
}
