using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Unitization.Host.Http;

/// <summary>
/// An endpoint filter on every minimal-API endpoint: before the handler runs, each argument bound from the request
/// (route, query, header or JSON body; not services) passes <see cref="RequestValueCheck"/>; the first fault answers
/// 400 with the field, so no endpoint can store a control character, an over-long string or a null list entry.
/// </summary>
internal static class RequestValueFilter
{
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.ApplicationServices;
        var isService = services.GetService<IServiceProviderIsService>();
        var maxStringLength = services.GetRequiredService<IOptions<HttpLimitsOptions>>().Value.MaxStringLength;
        var checks = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (Parameter: parameter, Index: index))
            .Where(p => IsRequestValue(p.Parameter, isService))
            .Select(p => (p.Index, Field: IsScalar(p.Parameter.ParameterType) ? p.Parameter.Name ?? "value" : string.Empty))
            .ToArray();
        if (checks.Length == 0)
        {
            return next;
        }

        return invocation =>
        {
            foreach (var (index, field) in checks)
            {
                if (index < invocation.Arguments.Count && RequestValueCheck.Find(invocation.Arguments[index], field, maxStringLength) is { } fault)
                {
                    return ValueTask.FromResult<object?>(TypedResults.ValidationProblem(
                        new Dictionary<string, string[]> { [fault.Field] = [fault.Message] },
                        detail: $"{fault.Field}: {fault.Message}",
                        title: "Invalid request"));
                }
            }

            return next(invocation);
        };
    }

    private static bool IsRequestValue(ParameterInfo parameter, IServiceProviderIsService? isService)
    {
        var type = parameter.ParameterType;
        if (type == typeof(HttpContext) || type == typeof(HttpRequest) || type == typeof(HttpResponse) || type == typeof(CancellationToken)
            || type == typeof(ClaimsPrincipal) || typeof(Stream).IsAssignableFrom(type) || type == typeof(System.IO.Pipelines.PipeReader)
            || typeof(IFormFile).IsAssignableFrom(type) || typeof(IFormFileCollection).IsAssignableFrom(type))
        {
            return false;
        }

        if (parameter.GetCustomAttributes().Any(a => a.GetType().Name is "FromServicesAttribute" or "FromKeyedServicesAttribute"))
        {
            return false;
        }

        return isService?.IsService(type) != true;
    }

    private static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t.IsPrimitive || t.IsEnum || t == typeof(decimal) || t == typeof(Guid) || t == typeof(DateTimeOffset) || t == typeof(DateTime) || t == typeof(TimeSpan)
            || t == typeof(Microsoft.Extensions.Primitives.StringValues) || t == typeof(string[]);
    }
}
