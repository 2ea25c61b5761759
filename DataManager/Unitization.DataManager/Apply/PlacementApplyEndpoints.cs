using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Unitization.DataManager.Apply;

/// <summary>
/// <c>GET /api/v1/placement/changes</c> (what differs between the plan in force and what is applied),
/// <c>POST /api/v1/placement/apply</c> (all or the listed changes; <c>dryRun</c> answers what would run) and
/// <c>GET /api/v1/placement/apply</c> (the latest apply and its progress).
/// </summary>
internal static class PlacementApplyEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/placement/changes", GetChangesAsync);
        endpoints.MapPost("/api/v1/placement/apply", PostApplyAsync).Accepts<ApplyRequest>("application/json");
        endpoints.MapGet("/api/v1/placement/apply", GetApply);
    }

    private static async Task<Results<Ok<PlacementChanges>, ProblemHttpResult>> GetChangesAsync(PlacementApplier applier, CancellationToken cancellationToken)
    {
        if (applier.Unavailable is { } why)
        {
            return Problem(503, "Cannot apply here", why);
        }

        return await applier.ChangesAsync(cancellationToken).ConfigureAwait(false) is { } changes
            ? TypedResults.Ok(changes)
            : Problem(404, "No plan yet", "No placement plan has been computed: POST lineage to /api/v1/lineage, then POST /api/v1/placement/refresh.");
    }

    private static async Task<Results<Ok<PlacementChanges>, Accepted<ApplyRun>, ProblemHttpResult>> PostApplyAsync(
        ApplyRequest? body, PlacementApplier applier, CancellationToken cancellationToken)
    {
        if (applier.Unavailable is { } why)
        {
            return Problem(503, "Cannot apply here", why);
        }

        if (body?.Changes?.Any(string.IsNullOrWhiteSpace) == true)
        {
            return Problem(400, "Bad change id", "'changes' lists a blank id: give the ids GET /api/v1/placement/changes answers, or leave 'changes' out to apply all.");
        }

        if (await applier.ChangesAsync(cancellationToken).ConfigureAwait(false) is not { } changes)
        {
            return Problem(404, "No plan yet", "No placement plan has been computed: POST lineage to /api/v1/lineage, then POST /api/v1/placement/refresh.");
        }

        var selected = changes.Changes;
        if (body?.Changes is { Count: > 0 } ids)
        {
            var known = changes.Changes.ToDictionary(c => c.Id, StringComparer.Ordinal);
            var unknown = ids.Where(id => !known.ContainsKey(id)).ToList();
            if (unknown.Count > 0)
            {
                return Problem(400, "Unknown change", $"'changes' names {string.Join(", ", unknown.Select(u => $"'{u}'"))}, which plan version {changes.PlanVersion} does not change (GET /api/v1/placement/changes lists the pending ones).");
            }

            selected = [.. ids.Distinct(StringComparer.Ordinal).Select(id => known[id])];
        }

        if (body?.DryRun == true)
        {
            return TypedResults.Ok(changes with
            {
                Changes = selected,
                Bytes = selected.Sum(c => c.Bytes ?? 0),
                EstimatedSeconds = Math.Round(selected.Sum(c => c.EstimatedSeconds ?? 0), 1),
            });
        }

        return applier.Start(changes.PlanVersion, selected) is { } run
            ? TypedResults.Accepted("/api/v1/placement/apply", run)
            : Problem(409, "Apply running", "An apply is running: follow it at GET /api/v1/placement/apply, then apply again for what is left.");
    }

    private static Results<Ok<ApplyRun>, ProblemHttpResult> GetApply(PlacementApplier applier) =>
        applier.Latest is { } run ? TypedResults.Ok(run) : Problem(404, "No apply yet", "Nothing has been applied since this process started: POST /api/v1/placement/apply.");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
