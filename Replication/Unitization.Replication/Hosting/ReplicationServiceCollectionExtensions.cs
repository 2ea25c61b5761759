using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Unitization.Analytics.Traffic;
using Unitization.ApiClient.Failover;
using Unitization.DataManager.Rules;
using Unitization.Namespaces;
using Unitization.Replication.Copy;
using Unitization.Replication.DeadLetters;
using Unitization.Replication.Events;
using Unitization.Replication.Lifecycle;
using Unitization.Replication.Metastore;
using Unitization.Replication.Migration;
using Unitization.Replication.Pump;
using Unitization.Replication.Rules;
using Unitization.Replication.State;
using Unitization.Replication.Telemetry;
using Unitization.Replication.Versions;
using Unitization.Replication.Workers;
using Unitization.StateStore;
using Unitization.StateStore.Changes;
using Unitization.StateStore.Scheduling;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Hosting;

namespace Unitization.Replication.Hosting;

/// <summary>Registers the <c>replicator</c> role: its options (section <c>Replication</c>), services and endpoints.</summary>
public static class ReplicationServiceCollectionExtensions
{
    public const string RoleName = "replicator";

    /// <summary>The HTTP client that reads the datamanager's replication rules (the host adds the service credential).</summary>
    public const string RulesHttpClientName = "replication-rules";

    /// <summary>
    /// <see cref="ReplicationOptions"/> from section <c>Replication</c>, as every entry point reads them (<c>serve</c>,
    /// <c>migrate</c>, <c>replication dead-letters</c>): an unknown key is an error, <c>RulesUrl</c> is read in either
    /// form, and the values are validated.
    /// </summary>
    public static OptionsBuilder<ReplicationOptions> AddReplicationOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ReplicationOptions.SectionName);
        return services.AddOptions<ReplicationOptions>()
            .Bind(section, o => o.ErrorOnUnknownConfiguration = true)
            .ReadUrlList(section, nameof(ReplicationOptions.RulesUrl), (o, urls) => o.RulesUrl = urls)
            .ValidateDataAnnotations();
    }

    public static IServiceCollection AddReplication(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddReplicationOptions(configuration).ValidateOnStart();
        services.AddNamespaces(configuration);
        services.AddThrottleClient(configuration);
        // each copy's bytes on the traffic topic, also from a replicator-only process (a fleet's replicators had none)
        services.AddTrafficRecorder(configuration);
        services.AddReplicaVersionStore();
        services.AddReplicationCore();
        services.AddHttpClient();
        services.TryAddSingleton<IReplicationRuleSource>(sp => new HttpReplicationRuleSource(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(RulesHttpClientName),
            sp.GetRequiredService<IOptions<ReplicationOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<RuleBook>();
        services.AddHostedService(sp => new RulesReloader(sp.GetRequiredService<RuleBook>(), sp.GetService<IStateChangeFeed>()));
        services.TryAddSingleton<MetastoreConnection>();
        services.TryAddSingleton<IMetastoreLookup>(sp => sp.GetRequiredService<MetastoreConnection>());
        services.TryAddSingleton<ReplicationKafka>();
        services.TryAddSingleton<DeadLetterTopic>();
        services.TryAddSingleton<PumpCheckpointStore>();
        services.TryAddSingleton<AcidWriteBuffer>();
        services.TryAddSingleton<PartitionLocations>();
        services.TryAddSingleton<NotificationFeed>();
        services.TryAddSingleton<EventPlanner>();
        services.TryAddSingleton<EventApplier>();
        services.TryAddSingleton<IEventApplier>(sp => sp.GetRequiredService<EventApplier>());
        services.TryAddSingleton<IDeadLetterSink, KafkaDeadLetterSink>();
        services.TryAddSingleton<ReplicaRegistry>();
        services.TryAddSingleton<ReplicaLifecycle>();
        var interval = TimeSpan.TryParse(configuration[$"{ReplicationOptions.SectionName}:{nameof(ReplicationOptions.LifecycleInterval)}"], System.Globalization.CultureInfo.InvariantCulture, out var configured)
            && configured > TimeSpan.Zero ? configured : new ReplicationOptions().LifecycleInterval;
        services.AddQuartz(q =>
        {
            // clustered on PostgreSQL: one sweep per interval across every replicator of the fleet; a sweep whose node
            // dies while it runs runs again on another (it is idempotent)
            q.UseStateStore(configuration, RoleName);
            q.AddJob<ReplicaLifecycleJob>(j => j.WithIdentity(ReplicaLifecycleJob.Key).StoreDurably().RequestRecovery());
            q.AddTrigger(t => t.ForJob(ReplicaLifecycleJob.Key).WithIdentity("replication-lifecycle-sweep", "replication").WithExecutionGroup(RoleName)
                .StartNow().WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        services.TryAddSingleton<MigrationJobStore>();
        services.TryAddSingleton(sp => new MigrationService(
            sp.GetRequiredService<MigrationRunner>(),
            sp.GetRequiredService<MigrationJobStore>(),
            sp.GetRequiredService<INamespaceCatalog>(),
            sp.GetService<IBandwidthBudget>(),
            sp.GetRequiredService<IOptions<ReplicationOptions>>(),
            sp.GetRequiredService<IOptions<Namespaces.Configuration.TopologyOptions>>(),
            sp.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MigrationService>>(),
            sp.GetService<IStateChangeFeed>()));
        services.TryAddSingleton(sp => new ReplicaBootstrap(
            sp.GetRequiredService<MigrationService>(), sp.GetRequiredService<ReplicaRegistry>(), sp.GetRequiredService<INamespaceCatalog>(),
            sp.GetRequiredService<IOptions<ReplicationOptions>>(), sp.GetRequiredService<TimeProvider>()));
        // lists the stored API migrations and resumes the unfinished ones at start
        services.AddHostedService(sp => sp.GetRequiredService<MigrationService>());
        services.AddHostedService<ReplicatorWorker>();
        services.AddHostedService<EventPump>();
        services.AddHealthChecks().AddCheck<ReplicationHealthCheck>(RoleName, tags: [RoleName]);
        return services;
    }

    public static IEndpointRouteBuilder MapReplication(this IEndpointRouteBuilder endpoints)
    {
        ReplicationEndpoints.Map(endpoints);
        // the failure and dead-letter counters exist (at 0 for every link) from the start
        endpoints.ServiceProvider.GetRequiredService<ReplicationMetrics>();
        return endpoints;
    }

    /// <summary>What the replicator, <c>migrate</c> and the benchmarks share: schema, health, the copier.</summary>
    internal static IServiceCollection AddReplicationCore(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ReplicaCopier)))
        {
            return services;
        }

        services.AddStateMigration(ReplicationSchema.Migration);
        services.AddStateMigration(ReplicationSchema.Lifecycle);
        services.AddStateMigration(ReplicationSchema.Metastore);
        services.AddStateMigration(ReplicationSchema.MigrationOwners);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ReplicationHealth>();
        services.TryAddSingleton(sp => new ReplicationMetrics(
            sp.GetService<IMeterFactory>(), sp.GetRequiredService<INamespaceCatalog>().Datacenters, sp.GetRequiredService<ReplicationHealth>()));
        services.TryAddSingleton<MigrationRunner>();
        services.TryAddSingleton(sp =>
        {
            var budget = sp.GetService<IBandwidthBudget>();
            var logger = sp.GetRequiredService<ILogger<ReplicaCopier>>();
            if (budget is null)
            {
                ReplicationLog.Unthrottled(logger);
            }

            var options = sp.GetRequiredService<IOptions<ReplicationOptions>>().Value;
            return new ReplicaCopier(
                sp.GetRequiredService<IReplicaVersionStore>(),
                budget,
                sp.GetService<ITrafficRecorder>(),
                sp.GetRequiredService<TimeProvider>(),
                logger,
                options.SyncStagedData,
                options.DropCacheBehindWrites,
                sp.GetRequiredService<ReplicationMetrics>(),
                options.ReplicaSwapGrace);
        });
        return services;
    }
}
