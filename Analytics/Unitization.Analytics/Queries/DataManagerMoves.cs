using System.Net.Http.Json;
using System.Text.Json;

namespace Unitization.Analytics.Queries;

/// <summary>
/// Asks DataManager what moving a job would change, by its cost model over the plan in force:
/// <c>POST /api/v1/placement/moves</c> at <c>Analytics:DataManagerUrl</c> (empty: this process's own listening address, the datamanager role in the
/// same process). An unreachable DataManager, or one without a plan, is an answer too: the reason, so the
/// suggestions fall back to measured traffic and say why.
/// </summary>
internal sealed class DataManagerMoves(HttpClient http)
{
    /// <summary>Prices moving each job from where it runs (<paramref name="runsIn"/>: job → datacenter seen in the traffic).</summary>
    public async Task<MovesAnswer> EstimateAsync(Uri baseUri, IReadOnlyDictionary<string, string> runsIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runsIn);
        if (runsIn.Count == 0)
        {
            return new MovesAnswer(null, null, [], null);
        }

        var uri = new Uri(baseUri, "/api/v1/placement/moves");
        try
        {
            using var response = await http.PostAsJsonAsync(uri, new { jobs = runsIn.Keys, runsIn }, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                return new MovesAnswer(null, null, [], $"DataManager at {uri.GetLeftPart(UriPartial.Authority)} answered {(int)response.StatusCode}: {Detail(text)}");
            }

            var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
            var estimates = json.GetProperty("jobs").EnumerateArray().Select(j => new JobMoves(
                j.GetProperty("job").GetString()!,
                j.GetProperty("datacenter").GetString()!,
                j.GetProperty("crossBytesPerDay").GetDouble(),
                [.. j.GetProperty("moves").EnumerateArray().Select(m => new MoveOption(
                    m.GetProperty("datacenter").GetString()!, m.GetProperty("deltaBytesPerDay").GetDouble(), m.GetProperty("fits").GetBoolean()))])).ToList();
            return new MovesAnswer(json.GetProperty("planVersion").GetInt64(), json.GetProperty("model").GetString(), estimates, null);
        }
        catch (HttpRequestException e)
        {
            return new MovesAnswer(null, null, [], $"DataManager at {uri.GetLeftPart(UriPartial.Authority)} is unreachable: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new MovesAnswer(null, null, [], $"DataManager at {uri.GetLeftPart(UriPartial.Authority)} did not answer in time");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new MovesAnswer(null, null, [], $"DataManager at {uri.GetLeftPart(UriPartial.Authority)} answered something else than moves: {e.Message}");
        }
    }

    private static string Detail(string problem)
    {
        try
        {
            using var document = JsonDocument.Parse(problem);
            if (document.RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // not a problem document: show the start of the text
        }

        return problem.Length > 200 ? problem[..200] : problem;
    }
}

/// <summary>DataManager's answer: the plan version and model, each known job's moves, or why there is none.</summary>
internal sealed record MovesAnswer(long? PlanVersion, string? Model, IReadOnlyList<JobMoves> Jobs, string? Unavailable);

internal sealed record JobMoves(string Job, string Datacenter, double CrossBytesPerDay, IReadOnlyList<MoveOption> Moves);

internal sealed record MoveOption(string Datacenter, double DeltaBytesPerDay, bool Fits);
