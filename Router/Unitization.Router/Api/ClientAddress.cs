using System.Net;
using Microsoft.AspNetCore.Http;
using Unitization.Router.Addresses;

namespace Unitization.Router.Api;

/// <summary>
/// The caller's address: the connection's peer, or — only when the peer is a trusted proxy — the nearest address in
/// <c>X-Forwarded-For</c> that is not itself a trusted proxy (read right to left, as each proxy appends).
/// </summary>
internal sealed class ClientAddress(TrustedProxySet proxies)
{
    public string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peer = context.Connection.RemoteIpAddress;
        var peerText = peer is null ? string.Empty : (peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer).ToString();
        if (!proxies.Contains(peer) || !context.Request.Headers.TryGetValue("X-Forwarded-For", out var forwarded))
        {
            return peerText;
        }

        string? nearest = null;
        for (var h = forwarded.Count - 1; h >= 0; h--)
        {
            var hops = (forwarded[h] ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            for (var i = hops.Length - 1; i >= 0; i--)
            {
                if (!IpAddressText.TryParse(hops[i], out _, out _))
                {
                    return nearest ?? peerText; // a malformed hop: trust nothing beyond it
                }

                nearest = hops[i];
                if (!proxies.Contains(hops[i].AsSpan()))
                {
                    return hops[i];
                }
            }
        }

        return nearest ?? peerText;
    }

    public static bool IsAddress(string? text) => text is not null && IpAddressText.TryParse(text, out _, out _);

    public static string Normalize(IPAddress address) => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
