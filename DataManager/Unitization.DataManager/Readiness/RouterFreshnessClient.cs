using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Unitization.DataManager.Readiness;

/// <summary>
/// Readiness for a DataManager that runs without the router role: asks the routers' version service over HTTP
/// (<c>GET {router}/api/v1/router/freshness</c>), one of the configured routers at a time, starting with the last
/// one that answered; a router that cannot be reached, times out or fails is skipped for the next. When none answers,
/// readiness is unknown (<see cref="FreshnessUnavailableException"/>), never guessed.
/// </summary>
internal sealed class RouterFreshnessClient(HttpClient http, IReadOnlyList<Uri> routers, TimeSpan timeout) : IDatasetFreshness
{
    private int _preferred;

    public async Task<bool> IsFreshAsync(string datasetNamespace, string datasetName, string datacenter, CancellationToken cancellationToken)
    {
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"api/v1/router/freshness?datasetNamespace={Uri.EscapeDataString(datasetNamespace)}&datasetName={Uri.EscapeDataString(datasetName)}&datacenter={Uri.EscapeDataString(datacenter)}");
        var failures = new List<string>();
        var first = Volatile.Read(ref _preferred);
        for (var i = 0; i < routers.Count; i++)
        {
            var index = (first + i) % routers.Count;
            var router = routers[index];
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(timeout);
            try
            {
                using var response = await http.GetAsync(new Uri(router, query), attempt.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    failures.Add($"{router}: HTTP {(int)response.StatusCode}");
                    continue;
                }

                var answer = await response.Content.ReadFromJsonAsync<JsonElement>(attempt.Token).ConfigureAwait(false);
                if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("fresh", out var fresh) || fresh.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    failures.Add($"{router}: the answer has no boolean 'fresh'");
                    continue;
                }

                Volatile.Write(ref _preferred, index);
                return fresh.GetBoolean();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{router}: no answer within {timeout.TotalSeconds:0.#} s");
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException)
            {
                failures.Add($"{router}: {ex.Message}");
            }
        }

        throw new FreshnessUnavailableException(
            $"no router answered for {datasetNamespace}/{datasetName} in {datacenter} (DataManager:RouterUrls): " + string.Join("; ", failures));
    }
}
