using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Unitization.Analytics.Throttling;

/// <summary>
/// Talks to the Throttle role over its HTTP API: <c>GET /api/v1/throttle/state</c>, and the per-tenant caps
/// <c>GET /api/v1/throttle/caps</c>, <c>PUT /api/v1/throttle/caps/{tenant}</c> and <c>DELETE /api/v1/throttle/caps/{tenant}?by=</c> (a job is a tenant). The base URL is
/// <c>Analytics:ThrottleUrl</c>, or this process's own listening address when that is empty (the Throttle role in the same process; see <see cref="Hosting.RoleAddresses"/>).
/// </summary>
internal sealed class ThrottleGateway(HttpClient http)
{
    public async Task<ThrottleAnswer> GetStateAsync(Uri baseUri, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, new Uri(baseUri, "/api/v1/throttle/state"), null, cancellationToken).ConfigureAwait(false);

    public async Task<ThrottleAnswer> ListCapsAsync(Uri baseUri, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, new Uri(baseUri, "/api/v1/throttle/caps"), null, cancellationToken).ConfigureAwait(false);

    public async Task<ThrottleAnswer> SetCapAsync(Uri baseUri, string tenant, long bytesPerSecond, string setBy, string? reason, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["bytesPerSecond"] = bytesPerSecond, ["setBy"] = setBy, ["reason"] = reason };
        return await SendAsync(HttpMethod.Put, CapUri(baseUri, tenant), body, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ThrottleAnswer> LiftCapAsync(Uri baseUri, string tenant, string setBy, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, new Uri(CapUri(baseUri, tenant) + "?by=" + Uri.EscapeDataString(setBy)), null, cancellationToken).ConfigureAwait(false);

    private static Uri CapUri(Uri baseUri, string tenant) => new(baseUri, "/api/v1/throttle/caps/" + Uri.EscapeDataString(tenant));

    private async Task<ThrottleAnswer> SendAsync(HttpMethod method, Uri uri, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonElement? json = null;
            if (text.Length > 0)
            {
                try
                {
                    json = JsonDocument.Parse(text).RootElement.Clone();
                }
                catch (JsonException)
                {
                    json = null;
                }
            }

            if (response.IsSuccessStatusCode)
            {
                return new ThrottleAnswer(true, (int)response.StatusCode, json, null);
            }

            var reason = response.StatusCode == HttpStatusCode.NotFound
                ? $"the Throttle API at {uri.GetLeftPart(UriPartial.Authority)} does not serve {uri.AbsolutePath} (is the throttle role running there?)"
                : $"Throttle answered {(int)response.StatusCode} for {method} {uri.AbsolutePath}: {(text.Length > 300 ? text[..300] : text)}";
            return new ThrottleAnswer(false, (int)response.StatusCode, json, reason);
        }
        catch (HttpRequestException e)
        {
            return new ThrottleAnswer(false, 502, null, $"the Throttle API at {uri.GetLeftPart(UriPartial.Authority)} is unreachable: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ThrottleAnswer(false, 504, null, $"the Throttle API at {uri.GetLeftPart(UriPartial.Authority)} did not answer in time");
        }
    }
}
