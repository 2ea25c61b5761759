using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Unitization.Host.Http;

/// <summary>Writes a 4xx RFC 7807 problem that names the field at fault: <c>{"detail":"requests[0]: must not be null","errors":{"requests[0]":["must not be null"]}}</c>.</summary>
internal static class RequestProblems
{
    public static Task WriteAsync(HttpContext context, int status, string field, string message, Exception? exception = null)
    {
        var problems = context.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService;
        var details = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = status,
            Title = TitleOf(status),
            Detail = $"{field}: {message}",
        };
        context.Response.StatusCode = status;
        return problems is null
            ? context.Response.WriteAsJsonAsync(details, context.RequestAborted)
            : problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception }).AsTask();
    }

    public static string TitleOf(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "Authentication required",
        StatusCodes.Status403Forbidden => "Forbidden",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed",
        StatusCodes.Status413PayloadTooLarge => "Request body too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        _ => "Invalid request",
    };

    /// <summary>The body limit in force for this request, for messages.</summary>
    public static string LimitOf(HttpContext context) =>
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit
            ? limit.ToString("N0", CultureInfo.InvariantCulture) + " bytes"
            : "no limit";
}
