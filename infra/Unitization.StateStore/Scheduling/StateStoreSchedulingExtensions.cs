using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Unitization.StateStore.Scheduling;

/// <summary>
/// Where each role's scheduled jobs live. With <c>StateStore:Provider postgresql</c>: Quartz's ADO.NET job store on the
/// state store's database, clustered, so every process of the fleet shares one schedule and each trigger fires once,
/// on one node; a node that stops checking in has its firings recovered by another. With SQLite: Quartz's in-memory
/// store (one process). A role's triggers carry the role as their execution group and a process serves only the
/// groups of the roles it runs, so a trigger never fires on a node that cannot build its job. Every firing is recorded
/// in <c>scheduler_firings</c> (<see cref="FiringRecorder"/>).
/// </summary>
public static class StateStoreSchedulingExtensions
{
    /// <summary>The scheduler's name in <c>qrtz_*.sched_name</c>: the same on every node of a fleet.</summary>
    public const string SchedulerName = "unitization";

    /// <summary>How often a node checks in, and how late a check-in may be before its firings are recovered elsewhere.</summary>
    public static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan CheckinMisfireThreshold = TimeSpan.FromSeconds(6);

    /// <summary>Configures the scheduler for the state store (once per process) and serves <paramref name="role"/>'s triggers.</summary>
    public static IQuartzBuilder UseStateStore(this IQuartzBuilder quartz, IConfiguration configuration, string role)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        quartz.ConfigureScheduler(o =>
        {
            o.InstanceName = SchedulerName;
            if (!o.ServedExecutionGroups.Contains(role))
            {
                o.ServedExecutionGroups.Add(role);
            }
        });
        if (quartz.Services.Any(d => d.ServiceType == typeof(ClusteredStoreMarker)))
        {
            return quartz;
        }

        quartz.Services.AddSingleton<ClusteredStoreMarker>();
        // every firing in the state store, on both providers: which node ran what when (once per trigger in a fleet)
        quartz.Services.AddStateMigration(FiringRecorder.Migration);
        quartz.AddJobListener<FiringRecorder>();
        var section = configuration.GetSection(StateStoreOptions.SectionName);
        if (section[nameof(StateStoreOptions.Provider)] != StateProviders.PostgreSql || section[nameof(StateStoreOptions.ConnectionString)] is not { Length: > 0 } connectionString)
        {
            return quartz; // SQLite: one process, the in-memory store (a missing connection string fails the options at start)
        }

        // every node declares the same jobs and triggers at start: the stored ones stand (a node replacing a trigger
        // another node has already acquired would fire that time again); a changed schedule is applied by removing
        // the stored trigger (qrtz_triggers) while no node runs, or by renaming it
        quartz.Services.Configure<QuartzOptions>(o => o.Scheduling.IgnoreDuplicates = true);
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(connectionString);
            store.UseClustering(c =>
            {
                c.CheckinInterval = CheckinInterval;
                c.CheckinMisfireThreshold = CheckinMisfireThreshold;
            });
            store.ConfigureStore(o =>
            {
                o.TablePrefix = "qrtz_";
                o.StoreJobDataAsStrings = true;
                o.SchemaProvisioning = SchemaProvisioning.Validate; // the tables come from the state store's migration
            });
        });
        return quartz;
    }

    private sealed class ClusteredStoreMarker;
}
