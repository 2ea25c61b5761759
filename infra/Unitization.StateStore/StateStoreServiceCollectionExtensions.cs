using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.StateStore.Changes;
using Unitization.StateStore.Leadership;
using Unitization.StateStore.Scheduling;

namespace Unitization.StateStore;

public static class StateStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the state store from configuration section <c>StateStore</c>; <paramref name="dataFolder"/> anchors a
    /// relative database path (SQLite). Migrations run at start, before any other hosted service.
    /// </summary>
    public static IServiceCollection AddStateStore(this IServiceCollection services, IConfiguration configuration, string dataFolder)
    {
        services.AddOptions<StateStoreOptions>()
            .Bind(configuration.GetSection(StateStoreOptions.SectionName), o => o.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<IStateDatabase>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StateStoreOptions>>().Value;
            if (options.Provider == StateProviders.PostgreSql)
            {
                return new PostgresStateDatabase(options.ConnectionString!, sp.GetServices<StateMigration>(), sp.GetRequiredService<ILogger<PostgresStateDatabase>>());
            }

            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(dataFolder, options.Path));
            return new SqliteStateDatabase(path, sp.GetServices<StateMigration>(), sp.GetRequiredService<ILogger<SqliteStateDatabase>>());
        });
        if (!services.Any(d => d.ImplementationType == typeof(StateStoreMigrationService)))
        {
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StateStoreMigrationService>());
            services.AddHealthChecks().AddCheck<StateStoreHealthCheck>("state-store");
            services.TryAddSingleton(TimeProvider.System);
            services.AddStateMigration(LeadershipSchema.Leases);
            services.TryAddSingleton<LeaderElector>();
            if (configuration.GetSection(StateStoreOptions.SectionName)[nameof(StateStoreOptions.Provider)] == StateProviders.PostgreSql)
            {
                // the fleet: Quartz's clustered tables, and LISTEN/NOTIFY for the caches of every process
                services.AddStateMigration(QuartzSchema.Tables);
                services.TryAddSingleton(sp => new PostgresStateChangeFeed(
                    (PostgresStateDatabase)sp.GetRequiredService<IStateDatabase>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgresStateChangeFeed>>()));
                services.TryAddSingleton<IStateChangeFeed>(sp => sp.GetRequiredService<PostgresStateChangeFeed>());
                services.AddHostedService(sp => sp.GetRequiredService<PostgresStateChangeFeed>());
            }
            else
            {
                services.TryAddSingleton<IStateChangeFeed, LocalStateChangeFeed>();
            }
        }

        return services;
    }

    /// <summary>Adds a component's schema migration; applied once, in version order, at start.</summary>
    public static IServiceCollection AddStateMigration(this IServiceCollection services, StateMigration migration)
    {
        services.AddSingleton(migration);
        return services;
    }

    private sealed class StateStoreMigrationService(IStateDatabase database) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
