using System.Net;

namespace Unitization.Router.Addresses;

/// <summary>The networks of reverse proxies whose <c>X-Forwarded-For</c> header the router believes.</summary>
internal sealed class TrustedProxySet
{
    private readonly ClientNetworkMap _map;

    private TrustedProxySet(ClientNetworkMap map) => _map = map;

    public static TrustedProxySet Build(IReadOnlyList<string> networks, out IReadOnlyList<(int Index, string Message)> errors)
    {
        ArgumentNullException.ThrowIfNull(networks);
        const string Proxy = "proxy";
        var map = ClientNetworkMap.Build(new Dictionary<string, List<string>> { [Proxy] = [.. networks] }, string.Empty, out var problems);
        errors = problems.Select(p => (int.Parse(p.Key[(Proxy.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture), p.Message)).ToList();
        return new TrustedProxySet(map);
    }

    public bool Contains(IPAddress? address) =>
        address is not null && IpAddressText.TryGetValue(address, out var value, out var isV4) && _map.Find(value, isV4) is not null;

    public bool Contains(ReadOnlySpan<char> address) =>
        IpAddressText.TryParse(address, out var value, out var isV4) && _map.Find(value, isV4) is not null;
}
