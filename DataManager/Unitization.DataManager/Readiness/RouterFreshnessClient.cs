using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Unitization.ApiClient.Failover;

namespace Unitization.DataManager.Readiness;

/// <summary>
/// Readiness for a DataManager that runs without the router role: asks the routers' version service over HTTP
/// (<c>GET {router}/api/v1/router/freshness</c>), one of the configured routers at a time, starting with the last
/// one that answered; a router that cannot be reached, times out, fails or answers without <c>fresh</c> is skipped for
/// the next (<see cref="FailoverEndpoints"/>). When none answers, readiness is unknown
/// (<see cref="FreshnessUnavailableException"/>), never guessed.
/// </summary>
internal sealed class RouterFreshnessClient(HttpClient http, IReadOnlyList<Uri> routers, TimeSpan timeout, TimeProvider time) : IDatasetFreshness
{
    private readonly FailoverEndpoints _routers = new(routers, "DataManager:RouterUrls", timeout, time);

    public async Task<bool> IsFreshAsync(string datasetNamespace, string datasetName, string datacenter, CancellationToken cancellationToken)
    {
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"api/v1/router/freshness?datasetNamespace={Uri.EscapeDataString(datasetNamespace)}&datasetName={Uri.EscapeDataString(datasetName)}&datacenter={Uri.EscapeDataString(datacenter)}");
        try
        {
            return await _routers.GetAsync(http, query, ReadFreshAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new FreshnessUnavailableException($"no router answered for {datasetNamespace}/{datasetName} in {datacenter}: {ex.Message}", ex);
        }
    }

    private static async Task<bool> ReadFreshAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        return answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("fresh", out var fresh) && fresh.ValueKind is (JsonValueKind.True or JsonValueKind.False)
            ? fresh.GetBoolean()
            : throw new InvalidDataException("the answer has no boolean 'fresh'");
    }
}
