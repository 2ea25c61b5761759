using System.Collections.Concurrent;
using Unitization.Throttle.Budget;

namespace Unitization.Throttle.Caps;

/// <summary>The tenant caps in force; the link schedulers read it on every pick and are woken when it changes.</summary>
public sealed class TenantCapRegistry
{
    private readonly ConcurrentDictionary<string, TenantCap> _caps = new(StringComparer.Ordinal);
    private int _count; // ConcurrentDictionary.IsEmpty takes every lock when empty: too dear for every acquire

    /// <summary>Raised after a cap is set or removed, with the tenant.</summary>
    public event Action<string>? Changed;

    public TenantCap? Find(string tenant) => Volatile.Read(ref _count) == 0 ? null : _caps.GetValueOrDefault(tenant);

    public IReadOnlyList<TenantCap> List() => [.. _caps.Values.OrderBy(c => c.Tenant, StringComparer.Ordinal)];

    public void Set(TenantCap cap)
    {
        ArgumentNullException.ThrowIfNull(cap);
        if (!ByteRate.IsValid(cap.BytesPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(cap), cap.BytesPerSecond, $"The cap of '{cap.Tenant}' {ByteRate.Check(cap.BytesPerSecond)}.");
        }
        _caps[cap.Tenant] = cap;
        Volatile.Write(ref _count, _caps.Count);
        Changed?.Invoke(cap.Tenant);
    }

    /// <summary>Removes a cap; returns the one removed, if any.</summary>
    public TenantCap? Remove(string tenant)
    {
        if (!_caps.TryRemove(tenant, out var removed))
        {
            return null;
        }

        Volatile.Write(ref _count, _caps.Count);
        Changed?.Invoke(tenant);
        return removed;
    }
}
