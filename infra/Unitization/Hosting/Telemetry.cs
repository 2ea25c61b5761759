using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Unitization.Host.Hosting;

/// <summary>
/// Metrics of every role in Prometheus text at <c>/metrics</c> through OpenTelemetry: each component's meter
/// (<c>Unitization.Replication</c>, <c>Unitization.Router</c>, …) and ASP.NET Core's request metrics.
/// </summary>
internal static class Telemetry
{
    public const string MetricsPath = "/metrics";

    /// <summary>Every component's meter is named <c>Unitization.&lt;Component&gt;</c>.</summary>
    public const string ComponentMeters = "Unitization.*";

    public static IServiceCollection AddTelemetry(this IServiceCollection services, Role roles)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("unitization", serviceInstanceId: string.Join(",", RoleList.Format(roles))))
            .WithMetrics(metrics => metrics
                .AddMeter(ComponentMeters)
                .AddMeter("Microsoft.AspNetCore.Hosting")
                .AddPrometheusExporter());
        return services;
    }

    public static void MapTelemetry(this IEndpointRouteBuilder app) => app.MapPrometheusScrapingEndpoint(MetricsPath);
}
