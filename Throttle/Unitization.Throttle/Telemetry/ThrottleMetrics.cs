using System.Diagnostics.Metrics;
using Unitization.Throttle.Budget;
using Unitization.Throttle.State;

namespace Unitization.Throttle.Telemetry;

/// <summary>
/// The throttle's instruments (meter <c>Unitization.Throttle</c>): bytes granted by link, class and tenant, and
/// observed gauges of each link's rate and of the bytes waiting by class.
/// </summary>
internal sealed class ThrottleMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _granted;
    private readonly Counter<long> _leases;
    private readonly Counter<long> _fallbacks;

    public ThrottleMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(ThrottleDefaults.MeterName) ?? new Meter(ThrottleDefaults.MeterName);
        _granted = _meter.CreateCounter<long>("unitization.throttle.granted", "By", "Bytes granted to cross a link.");
        _leases = _meter.CreateCounter<long>("unitization.throttle.leases", "{lease}", "Leases granted by the throttle service.");
        _fallbacks = _meter.CreateCounter<long>("unitization.throttle.fallbacks", "{event}", "Times a client fell back to its local share.");
    }

    public void Granted(LinkId link, TrafficPriority priority, string tenant, long bytes)
    {
        if (_granted.Enabled)
        {
            _granted.Add(bytes, new("link", link.ToString()), new("priority", priority.ToString()), new("tenant", tenant));
        }
    }

    public void LeaseGranted(LinkId link) => _leases.Add(1, new KeyValuePair<string, object?>("link", link.ToString()));

    public void FellBack() => _fallbacks.Add(1);

    /// <summary>Publishes the state of <paramref name="snapshot"/> as gauges (rate and waiting bytes per link and class).</summary>
    public void Observe(Func<IEnumerable<LinkState>> snapshot)
    {
        _meter.CreateObservableGauge(
            "unitization.throttle.rate",
            () => snapshot().Select(l => new Measurement<double>(l.BytesPerSecond, new KeyValuePair<string, object?>("link", l.Link))),
            "By/s",
            "Configured rate of each link.");
        _meter.CreateObservableGauge(
            "unitization.throttle.waiting",
            () => snapshot().SelectMany(l => l.Classes.Select(c => new Measurement<long>(
                c.WaitingBytes,
                new KeyValuePair<string, object?>("link", l.Link),
                new KeyValuePair<string, object?>("priority", c.Priority.ToString())))),
            "By",
            "Bytes waiting for the link, by class.");
    }

    public void Dispose() => _meter.Dispose();
}
