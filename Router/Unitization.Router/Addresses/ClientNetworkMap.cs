using System.Net;

namespace Unitization.Router.Addresses;

/// <summary>
/// Client IP → datacenter: IPv4 and IPv6 networks, the longest prefix wins, an address no network holds goes to the
/// default datacenter (and is counted). Lookups do not allocate. Immutable; build a new one to change it.
/// </summary>
public sealed class ClientNetworkMap
{
    /// <summary>IPv4 maps with more intervals than this get the 32 MiB direct table; smaller ones search (cache-resident anyway).</summary>
    private const int DirectTableIntervals = 4096;

    private readonly PrefixRangeTable<uint> _v4;
    private readonly Ipv4DirectTable? _v4Direct;
    private readonly PrefixRangeTable<UInt128> _v6;
    private readonly string[] _datacenters;
    private long _unknown;

    private ClientNetworkMap(PrefixRangeTable<uint> v4, PrefixRangeTable<UInt128> v6, string[] datacenters, string defaultDatacenter, int networkCount)
    {
        _v4 = v4;
        _v4Direct = v4.IntervalCount > DirectTableIntervals && datacenters.Length < Ipv4DirectTable.MaxValues ? new Ipv4DirectTable(v4.Intervals) : null;
        _v6 = v6;
        _datacenters = datacenters;
        DefaultDatacenter = defaultDatacenter;
        NetworkCount = networkCount;
    }

    public string DefaultDatacenter { get; }

    public int NetworkCount { get; }

    /// <summary>How many lookups found no network (or no valid address) and fell back to the default datacenter.</summary>
    public long UnknownCount => Interlocked.Read(ref _unknown);

    /// <summary>
    /// Builds the map from datacenter → networks (CIDR text). Each error's key is the datacenter and the entry's index
    /// (<c>dcB:2</c>), its message what is wrong (<c>'10.0.0.0/33': prefix length must be 0-32 for IPv4</c>).
    /// </summary>
    public static ClientNetworkMap Build(IReadOnlyDictionary<string, List<string>> networks, string defaultDatacenter, out IReadOnlyList<(string Key, string Message)> errors)
    {
        ArgumentNullException.ThrowIfNull(networks);
        var problems = new List<(string, string)>();
        var datacenters = new List<string>();
        var v4 = new List<(uint, uint, int, int)>();
        var v6 = new List<(UInt128, UInt128, int, int)>();
        var seen = new Dictionary<CidrRange, string>();
        foreach (var (datacenter, list) in networks.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var index = datacenters.Count;
            datacenters.Add(datacenter);
            for (var i = 0; i < list.Count; i++)
            {
                if (!CidrRange.TryParse(list[i], out var range, out var error))
                {
                    problems.Add(($"{datacenter}:{i}", error));
                    continue;
                }

                if (seen.TryGetValue(range, out var owner))
                {
                    if (owner != datacenter)
                    {
                        problems.Add(($"{datacenter}:{i}", $"network {range} is also listed for {owner}"));
                    }

                    continue;
                }

                seen.Add(range, datacenter);
                if (range.IsV4)
                {
                    v4.Add(((uint)range.First, (uint)range.Last, range.PrefixLength, index));
                }
                else
                {
                    v6.Add((range.First, range.Last, range.PrefixLength, index));
                }
            }
        }

        errors = problems;
        return new ClientNetworkMap(PrefixRangeTable<uint>.Build(v4), PrefixRangeTable<UInt128>.Build(v6), [.. datacenters], defaultDatacenter, seen.Count);
    }

    /// <summary>The datacenter of an address given as text; unknown or unparsable → the default (counted).</summary>
    public string Locate(ReadOnlySpan<char> address, out bool known)
    {
        var found = IpAddressText.TryParse(address, out var value, out var isV4) ? Find(value, isV4) : null;
        return Known(found, out known);
    }

    public string Locate(IPAddress? address, out bool known)
    {
        var found = address is not null && IpAddressText.TryGetValue(address, out var value, out var isV4) ? Find(value, isV4) : null;
        return Known(found, out known);
    }

    /// <summary>The datacenter of the most specific network holding the address, or null.</summary>
    public string? Find(UInt128 value, bool isV4)
    {
        var index = !isV4 ? _v6.Find(value) : _v4Direct?.Find((uint)value) ?? _v4.Find((uint)value);
        return index < 0 ? null : _datacenters[index];
    }

    private string Known(string? found, out bool known)
    {
        known = found is not null;
        if (found is null)
        {
            Interlocked.Increment(ref _unknown);
            return DefaultDatacenter;
        }

        return found;
    }
}
