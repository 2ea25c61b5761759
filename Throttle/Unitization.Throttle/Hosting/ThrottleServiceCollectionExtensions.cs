using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.ApiClient.Failover;
using Unitization.StateStore;
using Unitization.StateStore.Changes;
using Unitization.StateStore.Leadership;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Caps;
using Unitization.Throttle.Client;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.Leases;
using Unitization.Throttle.Settings;
using Unitization.Throttle.Telemetry;

namespace Unitization.Throttle.Hosting;

/// <summary>
/// Registers the <c>throttle</c> role (the link budgets, the lease service and its HTTP API) and the client every
/// process that crosses a link uses (<see cref="IBandwidthBudget"/>).
/// </summary>
public static class ThrottleServiceCollectionExtensions
{
    /// <summary>The HTTP client that leases from <c>Throttle:ServiceUrl</c> (the host adds the service credential).</summary>
    public const string LeaseHttpClientName = ThrottleDefaults.HttpClientName;

    public const string RoleName = "throttle";

    /// <summary>The <c>throttle</c> role: this process holds the link budgets and leases slices of them to the others.</summary>
    public static IServiceCollection AddThrottle(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AddOptionsOnce(services, configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TenantCapRegistry>();
        services.TryAddSingleton(sp => new ThrottleMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new LocalBandwidthBudget(
            sp.GetRequiredService<IOptions<ThrottleOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<TenantCapRegistry>(),
            sp.GetRequiredService<ThrottleMetrics>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Unitization.Throttle")));
        services.AddStateMigration(ThrottleSettingsStore.Migration);
        services.TryAddSingleton(sp => new ThrottleSettings(
            sp.GetRequiredService<LocalBandwidthBudget>(),
            sp.GetRequiredService<IOptions<ThrottleOptions>>().Value,
            sp.GetService<IStateDatabase>() is { } database ? new ThrottleSettingsStore(database) : null,
            sp.GetService<IStateChangeFeed>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Unitization.Throttle")));
        services.AddHostedService(sp => sp.GetRequiredService<ThrottleSettings>());
        if (services.Any(d => d.ServiceType == typeof(LeaderElector)))
        {
            // a fleet's throttle instances elect one holder of the link budgets through the state store
            services.TryAddSingleton(sp => new ThrottleLeadership(
                sp.GetRequiredService<LeaderElector>(),
                sp.GetRequiredService<IOptions<StateStoreOptions>>().Value,
                sp.GetRequiredService<IOptions<ThrottleOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Unitization.Throttle")));
            services.AddHostedService(sp => sp.GetRequiredService<ThrottleLeadership>());
        }

        services.TryAddSingleton(sp => new LeaseService(
            sp.GetRequiredService<LocalBandwidthBudget>(),
            sp.GetRequiredService<IOptions<ThrottleOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ThrottleMetrics>(),
            sp.GetService<ThrottleLeadership>()));
        services.AddThrottleClient(configuration);
        services.AddHealthChecks().AddCheck<ThrottleHealthCheck>(RoleName, tags: [RoleName]);
        return services;
    }

    /// <summary>
    /// The budget for a process that sends bytes across links: in the <c>throttle</c> role's process, its budget
    /// directly; else leases from <c>Throttle:ServiceUrl</c> (with the local fallback share when it is away); with no
    /// service URL, a local budget at the links' full rates.
    /// </summary>
    public static IServiceCollection AddThrottleClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AddOptionsOnce(services, configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(ThrottleDefaults.HttpClientName, (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<ThrottleOptions>>().Value;
                http.Timeout = options.MaxLeaseWait + TimeSpan.FromSeconds(5);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) });
        services.TryAddSingleton<IBandwidthBudget>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ThrottleOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Unitization.Throttle");
            var urls = options.ServiceUrl;
            IBandwidthBudget Leased() => new LeasedBandwidthBudget(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(ThrottleDefaults.HttpClientName), urls, options, time, logger, new ThrottleMetrics(sp.GetService<IMeterFactory>()));
            if (sp.GetService<LeaseService>() is not null)
            {
                // the throttle role: its own budgets while it leads the fleet's, else a client of the leader like any other
                var local = sp.GetRequiredService<LocalBandwidthBudget>();
                return sp.GetService<ThrottleLeadership>() is { } leadership
                    ? new ThrottleRoleBudget(local, leadership, urls.Count > 0 ? Leased() : new LocalBandwidthBudget(options, time, logger: logger, rateScale: options.FallbackShare), options.MaxLeaseWait)
                    : local;
            }

            if (urls.Count == 0)
            {
                ThrottleLog.LocalOnly(logger);
                return new LocalBandwidthBudget(options, time, metrics: new ThrottleMetrics(sp.GetService<IMeterFactory>()), logger: logger);
            }

            return Leased();
        });
        return services;
    }

    public static IEndpointRouteBuilder MapThrottle(this IEndpointRouteBuilder endpoints)
    {
        ThrottleEndpoints.Map(endpoints);
        return endpoints;
    }

    private static void AddOptionsOnce(IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(ThrottleOptionsValidator)))
        {
            return;
        }

        services.AddSingleton<ThrottleOptionsValidator>();
        services.AddSingleton<IValidateOptions<ThrottleOptions>>(sp => sp.GetRequiredService<ThrottleOptionsValidator>());
        var section = configuration.GetSection(ThrottleOptions.SectionName);
        services.AddOptions<ThrottleOptions>()
            .Bind(section, o => o.ErrorOnUnknownConfiguration = true)
            .ReadUrlList(section, nameof(ThrottleOptions.ServiceUrl), (o, urls) => o.ServiceUrl = urls)
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }
}
