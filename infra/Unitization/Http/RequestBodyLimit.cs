using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Unitization.Host.Http;

/// <summary>
/// Middleware after routing: the body limit of the matched endpoint (its <see cref="IRequestSizeLimitMetadata"/>, else
/// <see cref="HttpLimitsOptions.MaxRequestBodyBytes"/>) is set on the request, and a request whose Content-Length is
/// over it is answered 413 before any of it is read. A chunked body over the limit fails on read (413 too).
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next, IOptions<HttpLimitsOptions> options)
{
    private readonly long _default = options.Value.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } declared ? declared.MaxRequestBodySize : _default;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        if (limit is { } max && context.Request.ContentLength is { } length && length > max)
        {
            return RequestProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "body", string.Create(
                CultureInfo.InvariantCulture, $"is {length:N0} bytes; this endpoint takes at most {max:N0} bytes"));
        }

        return next(context);
    }
}
