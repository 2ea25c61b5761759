using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Unitization.Router.Versions;

namespace Unitization.Router.Api;

/// <summary>
/// <c>GET /api/v1/router/freshness?datasetNamespace=&amp;datasetName=&amp;datacenter=</c>: whether a dataset's data
/// (through <c>Router:DatasetPaths</c>) is fresh in a datacenter by this router's versions: what a DataManager without
/// the router role asks before it answers readiness. Fresh only while the primary's edit log is followed to its end.
/// </summary>
internal static class FreshnessEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/v1/router/freshness", AnswerAsync);

    private static async Task<Results<Ok<FreshnessAnswer>, ProblemHttpResult>> AnswerAsync(
        string? datasetNamespace, string? datasetName, string? datacenter, PathFreshness freshness, VersionService versions, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in new[] { ("datasetNamespace", datasetNamespace), ("datasetName", datasetName), ("datacenter", datacenter) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return TypedResults.Problem($"Query parameter '{name}' is required.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid freshness question");
            }
        }

        if (!versions.Datacenters.Contains(datacenter!, StringComparer.Ordinal))
        {
            return TypedResults.Problem(
                $"Query parameter 'datacenter': unknown datacenter '{datacenter}' (configured: {string.Join(", ", versions.Datacenters)}).",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid freshness question");
        }

        var fresh = await freshness.IsDatasetFreshAsync(datasetNamespace!, datasetName!, datacenter!, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new FreshnessAnswer(datasetNamespace!, datasetName!, datacenter!, fresh));
    }

    /// <summary>The answer: <c>fresh</c> is what readiness uses.</summary>
    internal sealed record FreshnessAnswer(string DatasetNamespace, string DatasetName, string Datacenter, bool Fresh);
}
