using System.Collections.Concurrent;

namespace Unitization.Throttle.Caps;

/// <summary>The tenant caps in force; the link schedulers read it on every pick and are woken when it changes.</summary>
public sealed class TenantCapRegistry
{
    private readonly ConcurrentDictionary<string, TenantCap> _caps = new(StringComparer.Ordinal);

    /// <summary>Raised after a cap is set or removed, with the tenant.</summary>
    public event Action<string>? Changed;

    public TenantCap? Find(string tenant) => _caps.IsEmpty ? null : _caps.GetValueOrDefault(tenant);

    public IReadOnlyList<TenantCap> List() => [.. _caps.Values.OrderBy(c => c.Tenant, StringComparer.Ordinal)];

    public void Set(TenantCap cap)
    {
        ArgumentNullException.ThrowIfNull(cap);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cap.BytesPerSecond);
        _caps[cap.Tenant] = cap;
        Changed?.Invoke(cap.Tenant);
    }

    /// <summary>Removes a cap; returns the one removed, if any.</summary>
    public TenantCap? Remove(string tenant)
    {
        if (!_caps.TryRemove(tenant, out var removed))
        {
            return null;
        }

        Changed?.Invoke(tenant);
        return removed;
    }
}
