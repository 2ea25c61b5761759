using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Caps;
using Unitization.Throttle.Leases;
using Unitization.Throttle.Settings;
using Unitization.Throttle.State;

namespace Unitization.Throttle.Hosting;

/// <summary>The <c>/api/v1/throttle</c> endpoints: leases, state, caps and live link rates.</summary>
internal static class ThrottleEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/throttle");
        api.MapPost("/leases", GrantLeaseAsync);
        api.MapGet("/state", GetState);
        api.MapGet("/caps", (TenantCapRegistry caps) => TypedResults.Ok(caps.List()));
        api.MapPut("/caps/{tenant}", PutCapAsync);
        api.MapDelete("/caps/{tenant}", DeleteCapAsync);
        api.MapPut("/links/{from}/{to}/rate", PutRateAsync);
    }

    private static async Task<Results<Ok<LeaseGrant>, ProblemHttpResult>> GrantLeaseAsync(LeaseRequest? request, LeaseService leases, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "A lease request needs a JSON body: {\"link\":\"dcA->dcB\",\"priority\":\"Normal\",\"tenant\":\"job\",\"bytes\":1048576}.");
        }

        try
        {
            return TypedResults.Ok(await leases.GrantAsync(request, cancellationToken).ConfigureAwait(false));
        }
        catch (LeaseRequestException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, ex.Message);
        }
        catch (KeyNotFoundException ex)
        {
            return Problem(StatusCodes.Status404NotFound, ex.Message);
        }
        catch (NotLeaderException ex)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
    }

    private static Ok<ThrottleState> GetState(LocalBandwidthBudget budget, LeaseService leases, TimeProvider time) =>
        TypedResults.Ok(new ThrottleState(time.GetUtcNow(), budget.Snapshot(), budget.Caps.List(), leases.Summary(), leases.Role()));

    private static async Task<Results<Ok<TenantCap>, ProblemHttpResult>> PutCapAsync(
        string tenant, CapRequest? request, ThrottleSettings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        tenant = TenantOf(tenant);
        if (request is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "A cap needs a JSON body: {\"bytesPerSecond\":1048576,\"setBy\":\"name\",\"reason\":\"...\"}.");
        }

        if (ByteRate.Check(request.BytesPerSecond) is { } rateError)
        {
            return Problem(StatusCodes.Status400BadRequest, $"bytesPerSecond: {rateError}.");
        }

        if (string.IsNullOrWhiteSpace(request.SetBy))
        {
            return Problem(StatusCodes.Status400BadRequest, "setBy: required (who caps the tenant, for the log and the dashboard).");
        }

        var cap = new TenantCap(tenant, request.BytesPerSecond, request.SetBy, time.GetUtcNow(), request.Reason);
        await settings.SetCapAsync(cap, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(cap);
    }

    private static async Task<Results<Ok<TenantCap>, ProblemHttpResult>> DeleteCapAsync(
        string tenant, string? by, ThrottleSettings settings, CancellationToken cancellationToken)
    {
        tenant = TenantOf(tenant);
        if (string.IsNullOrWhiteSpace(by))
        {
            return Problem(StatusCodes.Status400BadRequest, "by: required as a query parameter (?by=name): who removes the cap.");
        }

        var removed = await settings.RemoveCapAsync(tenant, by, cancellationToken).ConfigureAwait(false);
        if (removed is null)
        {
            return Problem(StatusCodes.Status404NotFound, $"Tenant '{tenant}' has no cap.");
        }

        return TypedResults.Ok(removed);
    }

    private static async Task<Results<Ok<LinkState>, ProblemHttpResult>> PutRateAsync(
        string from, string to, RateRequest? request, LocalBandwidthBudget budget, ThrottleSettings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "A rate change needs a JSON body: {\"bytesPerSecond\":100000000,\"setBy\":\"name\"}.");
        }

        if (ByteRate.Check(request.BytesPerSecond) is { } rateError)
        {
            return Problem(StatusCodes.Status400BadRequest, $"bytesPerSecond: {rateError}.");
        }

        if (string.IsNullOrWhiteSpace(request.SetBy))
        {
            return Problem(StatusCodes.Status400BadRequest, "setBy: required (who changes the link's rate).");
        }

        var link = new LinkId(from, to);
        if (!await settings.SetRateAsync(link, request.BytesPerSecond, request.SetBy, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return Problem(StatusCodes.Status404NotFound, $"Link {link} has no budget; links: {string.Join(", ", budget.Links)}.");
        }

        return TypedResults.Ok(budget.Find(link)!.Snapshot());
    }

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: status switch
        {
            StatusCodes.Status404NotFound => "Not found",
            StatusCodes.Status503ServiceUnavailable => "Standby",
            _ => "Bad request",
        });

    /// <summary>
    /// The tenant as the client named it: Kestrel leaves <c>%2F</c> encoded in a path segment, so a job tenant such as
    /// <c>spark://cluster/etl.daily</c> arrives as <c>spark:%2F%2Fcluster%2Fetl.daily</c>.
    /// </summary>
    private static string TenantOf(string segment) => Uri.UnescapeDataString(segment);


}
