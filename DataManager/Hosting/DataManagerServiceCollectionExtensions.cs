using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Unitization.DataManager.Hosting;

/// <summary>Registers the <c>datamanager</c> role: its options (section <c>DataManager</c>), services and endpoints.</summary>
public static class DataManagerServiceCollectionExtensions
{
    public const string RoleName = "datamanager";

    public static IServiceCollection AddDataManager(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddHealthChecks().AddCheck(RoleName, () => HealthCheckResult.Healthy("role loaded"), tags: [RoleName]);
        return services;
    }

    public static IEndpointRouteBuilder MapDataManager(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
