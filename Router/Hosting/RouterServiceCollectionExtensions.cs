using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Unitization.Router.Hosting;

/// <summary>Registers the <c>router</c> role: its options (section <c>Router</c>), services and endpoints.</summary>
public static class RouterServiceCollectionExtensions
{
    public const string RoleName = "router";

    public static IServiceCollection AddRouter(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddHealthChecks().AddCheck(RoleName, () => HealthCheckResult.Healthy("role loaded"), tags: [RoleName]);
        return services;
    }

    public static IEndpointRouteBuilder MapRouter(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
