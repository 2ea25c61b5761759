using System.Diagnostics.Metrics;
using Unitization.Router.Resolution;
using Unitization.Router.Versions;

namespace Unitization.Router.Telemetry;

/// <summary>
/// The router's instruments (meter <c>Unitization.Router</c>): resolves by reason (API and gateway alike), bytes the
/// WebHDFS gateway served by the datacenter they came from and whether they crossed a link, and how many transactions
/// each namespace's edit log is ahead of the router's version index (the follower's lag).
/// </summary>
internal sealed class RouterMetrics : IDisposable
{
    public const string MeterName = "Unitization.Router";

    private static readonly KeyValuePair<string, object?>[] ReasonTags =
        [.. Enum.GetValues<RouteReason>().Select(r => new KeyValuePair<string, object?>("reason", r.ToString()))];

    private readonly Meter _meter;
    private readonly Counter<long> _resolves;
    private readonly Counter<long> _gatewayBytes;

    public RouterMetrics(IMeterFactory? meterFactory, VersionService versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _resolves = _meter.CreateCounter<long>("unitization.router.resolves", "{resolve}", "Paths resolved to a copy, by the reason of the choice.");
        _gatewayBytes = _meter.CreateCounter<long>("unitization.router.gateway.bytes", "By", "Bytes the WebHDFS gateway served, by the datacenter they came from and whether they crossed a link.");
        _meter.CreateObservableGauge(
            "unitization.router.edit_log.behind",
            () => versions.Datacenters.Select(dc => new Measurement<long>(
                Math.Max(0, versions.NamespaceOf(dc).LastTxId.Value - versions.IndexOf(dc).Position.Value),
                new KeyValuePair<string, object?>("datacenter", dc))),
            "{transaction}",
            "Transactions in a namespace's edit log that the router's version index has not applied yet.");
    }

    public void Resolved(RouteReason reason) => _resolves.Add(1, ReasonTags[(int)reason]);

    public void GatewaySent(string datacenter, bool crossed, long bytes) =>
        _gatewayBytes.Add(bytes, new KeyValuePair<string, object?>("datacenter", datacenter), new KeyValuePair<string, object?>("crossed", crossed ? "true" : "false"));

    public void Dispose() => _meter.Dispose();
}
