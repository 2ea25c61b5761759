using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Throttle.Caps;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.Scheduling;
using Unitization.Throttle.State;
using Unitization.Throttle.Telemetry;

namespace Unitization.Throttle.Budget;

/// <summary>
/// The budget of every configured link held in this process: one <see cref="LinkScheduler"/> per link. The
/// <c>throttle</c> role serves leases from it; a process alone on its links (or a client that lost the service, at a
/// reduced <paramref name="rateScale"/>) spends from it directly.
/// </summary>
internal sealed class LocalBandwidthBudget : IBandwidthBudget, IDisposable
{
    private readonly Dictionary<LinkId, LinkScheduler> _links = [];
    private readonly ConcurrentDictionary<LinkId, bool> _unknownLogged = new();
    private readonly ILogger _logger;
    private readonly double _rateScale;

    public LocalBandwidthBudget(
        ThrottleOptions options,
        TimeProvider time,
        TenantCapRegistry? caps = null,
        ThrottleMetrics? metrics = null,
        ILogger? logger = null,
        double rateScale = 1,
        bool pumpOnTimer = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger ?? NullLogger.Instance;
        _rateScale = rateScale;
        Caps = caps ?? new TenantCapRegistry();
        var weights = new Dictionary<string, double>(options.TenantWeights, StringComparer.Ordinal);
        var floors = options.Floors.ToDictionary();
        foreach (var link in options.Links)
        {
            _links[link.Id] = new LinkScheduler(
                link.Id,
                link.BytesPerSecond * rateScale,
                link.EffectiveBurst(rateScale),
                floors,
                time,
                Caps,
                tenant => weights.TryGetValue(tenant, out var w) ? w : 1,
                metrics,
                pumpOnTimer);
        }

        Caps.Changed += _ => WakeAll();
        metrics?.Observe(() => Snapshot());
    }

    public TenantCapRegistry Caps { get; }

    public IEnumerable<LinkId> Links => _links.Keys;

    public ValueTask AcquireAsync(LinkId link, TrafficPriority priority, string tenant, long bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var scheduler = Find(link);
        return scheduler is null ? ValueTask.CompletedTask : scheduler.AcquireAsync(priority, tenant, bytes, cancellationToken);
    }

    /// <summary>The scheduler of <paramref name="link"/>, or null (logged once) when the link is not budgeted.</summary>
    public LinkScheduler? Find(LinkId link)
    {
        if (_links.TryGetValue(link, out var scheduler))
        {
            return scheduler;
        }

        if (link.From != link.To && _unknownLogged.TryAdd(link, true))
        {
            ThrottleLog.UnknownLink(_logger, link.ToString());
        }

        return null;
    }

    /// <summary>Changes a link's rate live (as configured, before this budget's scale).</summary>
    public bool SetRate(LinkId link, double bytesPerSecond)
    {
        if (!_links.TryGetValue(link, out var scheduler))
        {
            return false;
        }

        scheduler.SetRate(bytesPerSecond * _rateScale);
        return true;
    }

    public IReadOnlyList<LinkState> Snapshot() => [.. _links.Values.Select(s => s.Snapshot()).OrderBy(s => s.Link, StringComparer.Ordinal)];

    public void Dispose()
    {
        foreach (var scheduler in _links.Values)
        {
            scheduler.Dispose();
        }
    }

    private void WakeAll()
    {
        foreach (var scheduler in _links.Values)
        {
            scheduler.Wake();
        }
    }
}
