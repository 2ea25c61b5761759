using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Unitization.Analytics.Hosting;

/// <summary>
/// Where the roles Analytics calls are: <c>Analytics:ThrottleUrl</c> and <c>Analytics:DataManagerUrl</c> when set, else
/// this process's own listening address (the role in the same host), read from the server, never from a request: a
/// client's <c>Host</c> header cannot send these calls anywhere.
/// </summary>
internal sealed class RoleAddresses(IOptions<AnalyticsOptions> options, IServer server)
{
    public Uri Throttle => Resolve(options.Value.ThrottleUrl, nameof(AnalyticsOptions.ThrottleUrl));

    public Uri DataManager => Resolve(options.Value.DataManagerUrl, nameof(AnalyticsOptions.DataManagerUrl));

    private Uri Resolve(string? configured, string key) =>
        string.IsNullOrWhiteSpace(configured) ? Self(key) : new Uri(configured, UriKind.Absolute);

    /// <summary>An address this server listens on, preferring plain HTTP and loopback; a wildcard host becomes loopback.</summary>
    private Uri Self(string key)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var candidates = addresses
            .Select(a => Uri.TryCreate(a.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .Where(u => u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
            .OrderBy(u => u.Scheme == Uri.UriSchemeHttp ? 0 : 1)
            .ToList();
        var chosen = candidates.FirstOrDefault()
            ?? throw new InvalidOperationException($"{AnalyticsOptions.SectionName}:{key} is empty and this server has no HTTP address to reach the role in this process; set {AnalyticsOptions.SectionName}:{key}.");
        var builder = new UriBuilder(chosen.Scheme, chosen.Host, chosen.Port);
        if (IPAddress.TryParse(chosen.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)))
        {
            builder.Host = ip.Equals(IPAddress.Any) ? IPAddress.Loopback.ToString() : "[::1]";
        }

        return builder.Uri;
    }
}
