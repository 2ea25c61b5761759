using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Unitization.StateStore;

namespace Unitization.Host.Security.Audit;

/// <summary><c>GET /api/v1/audit</c> (admin): the audit log newest first, by time window and principal, in pages.</summary>
internal static class AuditEndpoints
{
    public const int MaxLimit = 1000;

    public static void MapAudit(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup(string.Empty).WithTags("security").MapGet("/api/v1/audit", QueryAsync);

    private static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> QueryAsync(
        string? from, string? to, string? principal, string? before, int? limit, IStateDatabase state, CancellationToken cancellationToken)
    {
        if (!TryTime(from, out var since))
        {
            return Problem("from", from!);
        }

        if (!TryTime(to, out var until))
        {
            return Problem("to", to!);
        }

        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.Problem($"limit: must be from 1 to {MaxLimit}, got {limit}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
        }

        await using var connection = await state.OpenAsync(cancellationToken).ConfigureAwait(false);
        var page = await AuditStore.QueryAsync(connection, since, until, string.IsNullOrEmpty(principal) ? null : principal, string.IsNullOrEmpty(before) ? null : before, limit ?? 100, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(page);
    }

    private static bool TryTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    private static ProblemHttpResult Problem(string field, string value) =>
        TypedResults.Problem($"{field}: '{value}' is not a time (ISO 8601, e.g. 2026-12-06T04:00:00Z).", statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
