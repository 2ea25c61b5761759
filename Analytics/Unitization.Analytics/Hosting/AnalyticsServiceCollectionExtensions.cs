using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Analytics.Api;
using Unitization.Analytics.Ingest;
using Unitization.Analytics.Queries;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Telemetry;
using Unitization.Analytics.Throttling;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Hosting;

/// <summary>Registers the <c>analytics</c> role: its options (section <c>Analytics</c>), services and endpoints.</summary>
public static class AnalyticsServiceCollectionExtensions
{
    public const string RoleName = "analytics";

    /// <summary>The HTTP client that relays caps to the throttle role (the host adds the service credential).</summary>
    public const string ThrottleHttpClientName = "analytics-throttle";

    /// <summary>The HTTP client that asks the datamanager for move estimates (the host adds the service credential).</summary>
    public const string DataManagerHttpClientName = "analytics-datamanager";

    public static IServiceCollection AddAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AddOptions(services, configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TrafficKafka>();
        services.TryAddSingleton<IngestStatus>();
        services.TryAddSingleton(sp => new AnalyticsMetrics(sp.GetService<IMeterFactory>(), sp.GetRequiredService<IngestStatus>()));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AnalyticsOptions>>().Value;
            return new TrafficTable(sp.GetRequiredService<ClickHouseHttpClient>().Client, ClickHouseServer(options, configuration), options.Database, options.ClickHouseUser, options.ClickHousePassword);
        });
        services.TryAddSingleton<ClickHouseHttpClient>();
        services.TryAddSingleton<ITrafficTable>(sp => sp.GetRequiredService<TrafficTable>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AnalyticsOptions>>().Value;
            return new TrafficQueries(sp.GetRequiredService<TrafficTable>(), sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<IDeadLetters>(sp =>
            new KafkaDeadLetters(sp.GetRequiredService<TrafficKafka>().BootstrapServers, sp.GetRequiredService<IOptions<AnalyticsOptions>>().Value.DeadLetterTopic, sp.GetRequiredService<TrafficKafka>().Security));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AnalyticsOptions>>().Value;
            return new TrafficIngestor(
                sp.GetRequiredService<ITrafficTable>(),
                new TrafficSpool(Path.Combine(DataFolder(configuration), options.SpoolFolder)),
                new DedupeFilter(TimeSpan.FromHours(options.DedupeWindowHours)),
                sp.GetRequiredService<IngestStatus>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<TrafficIngestor>(),
                TimeSpan.FromMilliseconds(options.RetryMilliseconds));
        });
        services.TryAddSingleton<RoleAddresses>();
        services.AddHttpClient(ThrottleHttpClientName, http => http.Timeout = TimeSpan.FromSeconds(5));
        services.AddHttpClient(DataManagerHttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton(sp => new ThrottleGateway(sp.GetRequiredService<IHttpClientFactory>().CreateClient(ThrottleHttpClientName)));
        services.TryAddSingleton(sp => new DataManagerMoves(sp.GetRequiredService<IHttpClientFactory>().CreateClient(DataManagerHttpClientName)));
        services.AddTrafficRecorder(configuration);
        services.AddHostedService<TrafficIngestService>();
        services.AddHealthChecks()
            .AddCheck<ClickHouseHealthCheck>(RoleName, tags: [RoleName])
            .AddCheck<IngestHealthCheck>(RoleName + "-ingest", tags: [RoleName]);
        return services;
    }

    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder endpoints)
    {
        AnalyticsEndpoints.Map(endpoints);
        // the ingest's observable instruments exist from the start, not from the first request that needs them
        endpoints.ServiceProvider.GetRequiredService<AnalyticsMetrics>();
        return endpoints;
    }

    private static void AddOptions(IServiceCollection services, IConfiguration configuration) =>
        services.AddOptions<AnalyticsOptions>()
            .Bind(configuration.GetSection(AnalyticsOptions.SectionName), o => o.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();

    private static string DataFolder(IConfiguration configuration) =>
        Path.GetFullPath(configuration["DataFolder"] is { Length: > 0 } folder ? folder : "data");

    /// <summary><see cref="AnalyticsOptions.ClickHouseUrl"/>, with the port from <see cref="AnalyticsOptions.ClickHousePortFile"/> when that file exists.</summary>
    internal static Uri ClickHouseServer(AnalyticsOptions options, IConfiguration configuration)
    {
        var uri = new Uri(options.ClickHouseUrl);
        if (options.ClickHousePortFile is { Length: > 0 } portFile)
        {
            var path = Path.Combine(DataFolder(configuration), portFile);
            if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), System.Globalization.CultureInfo.InvariantCulture, out var port))
            {
                return new UriBuilder(uri) { Port = port }.Uri;
            }
        }

        return uri;
    }
}
