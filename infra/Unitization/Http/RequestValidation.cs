using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Unitization.Host.Http;

/// <summary>
/// The validation boundary every role's endpoints share: binding failures become 4xx problems naming the field
/// (<see cref="BadRequestExceptionHandler"/>), bodies are limited per endpoint (<see cref="RequestBodyLimit"/>), bound
/// values are checked for control characters, over-long strings, null list entries and non-finite numbers
/// (<see cref="RequestValueFilter"/>), and a bare 4xx gets a problem that says what was wrong (<see cref="StatusCodeProblems"/>).
/// </summary>
internal static class RequestValidation
{
    public static IServiceCollection AddRequestValidation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpLimitsOptions>()
            .Bind(configuration.GetSection(HttpLimitsOptions.SectionName), o => o.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // a request the binder cannot read throws, so the handler above can say which field was wrong
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>Adds the middleware before the endpoints (each role's group adds <see cref="RequestValueFilter"/>: <c>RoleGroup</c>).</summary>
    public static void UseRequestValidation(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
        app.UseRouting();
        app.UseMiddleware<RequestBodyLimit>();
    }
}
