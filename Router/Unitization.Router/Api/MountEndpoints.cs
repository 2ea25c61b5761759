using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Unitization.Router.Mounts;

namespace Unitization.Router.Api;

/// <summary>The mount table admin API: <c>GET/PUT/DELETE /api/v1/mounts</c>. Changes apply at once, without a restart.</summary>
internal static class MountEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/mounts", (MountRegistry registry) =>
            TypedResults.Ok(new { mounts = registry.Current.Mounts.Select(MountView.From).ToList() }));
        endpoints.MapPut("/api/v1/mounts", PutAsync);
        endpoints.MapDelete("/api/v1/mounts", DeleteAsync);
    }

    private static async Task<Results<Ok<MountView>, ValidationProblem, ProblemHttpResult>> PutAsync(MountOptions? mount, MountRegistry registry, CancellationToken cancellationToken)
    {
        if (mount is null)
        {
            return TypedResults.Problem("The body must be a mount: {\"path\":\"/warehouse/db1\",\"destinations\":[\"dcA:/warehouse/db1\",\"dcB:/warehouse/db1\"]} or {\"path\":\"/tmp\",\"follow\":true}.", statusCode: 400, title: "Invalid mount");
        }

        var errors = await registry.PutAsync(mount, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(
                errors.Select(e => e.Split(": ", 2)).GroupBy(p => p[0], p => p.Length > 1 ? p[1] : p[0]).ToDictionary(g => g.Key, g => g.ToArray()),
                detail: string.Join("; ", errors),
                title: $"Mount '{mount.Path}' is invalid");
        }

        RouterPath.TryNormalize(mount.Path, out var path, out _);
        return TypedResults.Ok(MountView.From(registry.Current.Match(path)!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string? path, MountRegistry registry, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(path))
        {
            return TypedResults.Problem("Give the mount's path: DELETE /api/v1/mounts?path=/warehouse/db1.", statusCode: 400, title: "Missing path");
        }

        return await registry.DeleteAsync(path, cancellationToken).ConfigureAwait(false) switch
        {
            MountRemoval.Removed => TypedResults.NoContent(),
            MountRemoval.Configured => TypedResults.Problem($"Mount '{path}' is defined in the configuration file (Router:Mounts); remove it there.", statusCode: StatusCodes.Status409Conflict, title: "Configured mount"),
            _ => TypedResults.Problem($"No mount added through the API has path '{path}' (GET /api/v1/mounts lists them).", statusCode: StatusCodes.Status404NotFound, title: "No such mount"),
        };
    }
}
