using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Unitization.IntegrationTests.Http;

/// <summary>
/// One endpoint and method of the running app, as the fuzzer sees it: the route pattern (its parameters to fill),
/// the query parameters and the JSON body type of its handler (minimal APIs), or none of those (a raw
/// <see cref="RequestDelegate"/> such as the WebHDFS gateway, fuzzed with the gateway's own parameters).
/// </summary>
internal sealed record FuzzTarget(RoutePattern Pattern, string Method, IReadOnlyList<(string Name, Type Type)> Query, Type? Body, bool IsMinimalApi)
{
    private static readonly HashSet<Type> NotFromRequest =
        [typeof(HttpContext), typeof(HttpRequest), typeof(HttpResponse), typeof(CancellationToken), typeof(System.Security.Claims.ClaimsPrincipal), typeof(Stream)];

    public string Display => $"{Method} {Pattern.RawText}";

    /// <summary>Every endpoint of every data source of the app (so an endpoint added later is fuzzed without a change here).</summary>
    public static IReadOnlyList<FuzzTarget> All(IServiceProvider services)
    {
        var isService = services.GetRequiredService<IServiceProviderIsService>();
        var targets = new List<FuzzTarget>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "PUT", "POST", "DELETE"];
            var handler = endpoint.Metadata.GetMetadata<MethodInfo>();
            var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var query = new List<(string, Type)>();
            Type? body = null;
            foreach (var parameter in handler?.GetParameters() ?? [])
            {
                var type = parameter.ParameterType;
                if (parameter.Name is null || routeNames.Contains(parameter.Name) || NotFromRequest.Contains(type) || isService.IsService(type))
                {
                    continue;
                }

                if (IsScalar(type))
                {
                    query.Add((parameter.Name, type));
                }
                else
                {
                    body = type;
                }
            }

            targets.AddRange(methods.Select(m => new FuzzTarget(endpoint.RoutePattern, m, query, body, handler is not null)));
        }

        return targets;
    }

    public static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t.IsPrimitive || t.IsEnum || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(DateTimeOffset) || t == typeof(Guid);
    }
}
