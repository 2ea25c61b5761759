using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Unitization.Host.Http;

/// <summary>
/// The problem for a 4xx that ASP.NET Core answered with no body (no route, wrong method, a body over the limit read
/// in chunks, a body that is not JSON): what is wrong with this request, not just the status's name.
/// </summary>
internal static class StatusCodeProblems
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var request = http.Request;
        var status = http.Response.StatusCode;
        var (field, message) = status switch
        {
            StatusCodes.Status404NotFound => ("path", $"no endpoint of this process serves {request.Method} {request.Path} " +
                "(GET /healthz lists the roles it runs; in a fleet each role's API is on that role's processes)"),
            StatusCodes.Status405MethodNotAllowed => ("method", $"{request.Method} is not allowed on {request.Path}" +
                (http.Response.Headers.Allow is { Count: > 0 } allow ? $" (it takes {allow})" : "")),
            StatusCodes.Status413PayloadTooLarge => ("body", $"larger than this endpoint takes ({RequestProblems.LimitOf(http)})"),
            StatusCodes.Status415UnsupportedMediaType => ("Content-Type", $"'{request.ContentType}' is not accepted here; send JSON (application/json)"),
            _ => ("request", $"{request.Method} {request.Path} was answered {status}"),
        };
        return RequestProblems.WriteAsync(http, status, field, message);
    }
}
