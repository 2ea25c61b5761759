using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Unitization.StateStore.Changes;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Caps;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.Telemetry;

namespace Unitization.Throttle.Settings;

/// <summary>
/// Tenant caps and link rates an operator sets live: stored in the state store (when the process has one) and
/// announced on the change feed, so every throttle instance of a fleet applies them within a notice and a restart
/// keeps them. Each instance loads them at start and reloads them on every <see cref="StateChangeKinds.Throttle"/>
/// notice; a link without a stored rate runs at its configured rate.
/// </summary>
internal sealed class ThrottleSettings(
    LocalBandwidthBudget budget,
    ThrottleOptions options,
    ThrottleSettingsStore? store,
    IStateChangeFeed? changes,
    ILogger logger) : IHostedService
{
    private readonly SemaphoreSlim _applying = new(1, 1);
    private readonly Dictionary<LinkId, double> _rates = options.Links.ToDictionary(l => l.Id, l => l.BytesPerSecond);
    private IDisposable? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken).ConfigureAwait(false);
        _subscription = changes?.Subscribe(StateChangeKinds.Throttle, ReloadAsync);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    public async Task SetCapAsync(TenantCap cap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cap);
        if (store is not null)
        {
            await store.SaveCapAsync(cap, cancellationToken).ConfigureAwait(false);
        }

        budget.Caps.Set(cap);
        ThrottleLog.CapSet(logger, cap.Tenant, cap.BytesPerSecond, cap.SetBy, cap.Reason);
        await AnnounceAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the tenant's cap; the one removed, or null when it had none.</summary>
    public async Task<TenantCap?> RemoveCapAsync(string tenant, string removedBy, CancellationToken cancellationToken)
    {
        var stored = store is null ? null : await store.RemoveCapAsync(tenant, cancellationToken).ConfigureAwait(false);
        var removed = budget.Caps.Remove(tenant) ?? stored;
        if (removed is null)
        {
            return null;
        }

        ThrottleLog.CapRemoved(logger, tenant, removed.BytesPerSecond, removed.SetBy, removedBy);
        await AnnounceAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    /// <summary>Changes a link's rate (as configured, before any scale); false when the link has no budget.</summary>
    public async Task<bool> SetRateAsync(LinkId link, double bytesPerSecond, string setBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!_rates.ContainsKey(link))
        {
            return false;
        }

        if (store is not null)
        {
            await store.SaveRateAsync(link, bytesPerSecond, setBy, at, cancellationToken).ConfigureAwait(false);
        }

        await ApplyRateAsync(link, bytesPerSecond, cancellationToken).ConfigureAwait(false);
        ThrottleLog.RateChanged(logger, link.ToString(), bytesPerSecond, setBy);
        await AnnounceAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Makes the caps and rates in force here those of the store.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return;
        }

        var (caps, rates) = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        await _applying.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = caps.ToDictionary(c => c.Tenant, StringComparer.Ordinal);
            foreach (var cap in budget.Caps.List().Where(c => !stored.ContainsKey(c.Tenant)))
            {
                budget.Caps.Remove(cap.Tenant);
            }

            foreach (var cap in caps.Where(c => budget.Caps.Find(c.Tenant) != c))
            {
                budget.Caps.Set(cap);
            }

            foreach (var link in options.Links)
            {
                ApplyRateLocked(link.Id, rates.TryGetValue(link.Id, out var rate) ? rate : link.BytesPerSecond);
            }
        }
        finally
        {
            _applying.Release();
        }
    }

    private async Task ApplyRateAsync(LinkId link, double bytesPerSecond, CancellationToken cancellationToken)
    {
        await _applying.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ApplyRateLocked(link, bytesPerSecond);
        }
        finally
        {
            _applying.Release();
        }
    }

    private void ApplyRateLocked(LinkId link, double bytesPerSecond)
    {
        if (_rates.TryGetValue(link, out var current) && current != bytesPerSecond && budget.SetRate(link, bytesPerSecond))
        {
            _rates[link] = bytesPerSecond;
        }
    }

    private Task AnnounceAsync(CancellationToken cancellationToken) =>
        changes is null || store is null ? Task.CompletedTask : changes.PublishAsync(StateChangeKinds.Throttle, cancellationToken);
}
