using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Unitization.Analytics.Hosting;

/// <summary>Registers the <c>analytics</c> role: its options (section <c>Analytics</c>), services and endpoints.</summary>
public static class AnalyticsServiceCollectionExtensions
{
    public const string RoleName = "analytics";

    public static IServiceCollection AddAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddHealthChecks().AddCheck(RoleName, () => HealthCheckResult.Healthy("role loaded"), tags: [RoleName]);
        return services;
    }

    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
