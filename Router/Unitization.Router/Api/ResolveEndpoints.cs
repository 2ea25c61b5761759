using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Unitization.Namespaces;
using Unitization.Router.Resolution;

namespace Unitization.Router.Api;

/// <summary><c>GET /api/v1/resolve?path=…&amp;clientIp=…</c> and <c>POST /api/v1/resolve</c> (a batch).</summary>
internal static class ResolveEndpoints
{
    public const int MaxBatch = 10_000;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/resolve", Get);
        endpoints.MapPost("/api/v1/resolve", Post);
    }

    private static async ValueTask<Results<Ok<ResolveResponse>, ProblemHttpResult>> Get(
        string? path, string? clientIp, string? intent, HttpContext context, RouteResolver resolver, ClientAddress client, INamespaceCatalog catalog)
    {
        var answer = await ResolveOneAsync(new ResolveRequest(path, clientIp, intent), context, resolver, client, catalog).ConfigureAwait(false);
        if (answer.Error is null)
        {
            return TypedResults.Ok(answer);
        }

        var status = answer.Reason == nameof(RouteReason.NoMount) ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
        return TypedResults.Problem(answer.Error, statusCode: status, title: status == 404 ? "No mount covers the path" : "Invalid resolve request");
    }

    private static async ValueTask<Results<Ok<ResolveBatch>, ProblemHttpResult>> Post(
        ResolveBatch? batch, HttpContext context, RouteResolver resolver, ClientAddress client, INamespaceCatalog catalog)
    {
        if (batch?.Requests is not { } requests)
        {
            return TypedResults.Problem("The body must be {\"requests\":[{\"path\":\"/warehouse/...\",\"clientIp\":\"10.2.0.7\"}, ...]}.", statusCode: 400, title: "Invalid resolve batch");
        }

        if (requests.Count > MaxBatch)
        {
            return TypedResults.Problem($"A batch holds at most {MaxBatch} requests; this one holds {requests.Count}. Split it.", statusCode: 400, title: "Batch too large");
        }

        var results = new ResolveResponse[requests.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = await ResolveOneAsync(requests[i], context, resolver, client, catalog).ConfigureAwait(false);
        }

        return TypedResults.Ok(new ResolveBatch(null, results));
    }

    private static async ValueTask<ResolveResponse> ResolveOneAsync(ResolveRequest request, HttpContext context, RouteResolver resolver, ClientAddress client, INamespaceCatalog catalog)
    {
        var ip = string.IsNullOrEmpty(request.ClientIp) ? client.Of(context) : request.ClientIp;
        string? error = null;
        if (!RouterPath.TryNormalize(request.Path, out var path, out var pathError))
        {
            error = "path: " + pathError;
        }
        else if (NamespacePath.IsInternal(path))
        {
            error = $"path: {NamespacePath.InternalRoot} is reserved for Unitization's staging and work folders; it is not a user's path";
        }
        else if (!string.IsNullOrEmpty(request.ClientIp) && !ClientAddress.IsAddress(request.ClientIp))
        {
            error = $"clientIp: '{request.ClientIp}' is not an IPv4 or IPv6 address";
        }

        var intent = RouteIntent.Read;
        if (error is null && request.Intent is { Length: > 0 } && !Enum.TryParse(request.Intent, ignoreCase: true, out intent))
        {
            error = $"intent: '{request.Intent}' is not 'read' or 'write'";
        }

        if (error is not null)
        {
            return new ResolveResponse(request.Path ?? string.Empty, ip, string.Empty, false, null, null, null, null, 0, false, "InvalidRequest", error, error);
        }

        var route = await resolver.ResolveAsync(path, ip, intent, context.RequestAborted).ConfigureAwait(false);
        var response = ResolveResponse.From(route, ip, route.Datacenter is null ? null : catalog.Get(route.Datacenter).Name);
        return route.Reason is RouteReason.NoMount or RouteReason.WriteRefused ? response with { Error = route.Explain() + " (mounts: GET /api/v1/mounts)" } : response;
    }
}
