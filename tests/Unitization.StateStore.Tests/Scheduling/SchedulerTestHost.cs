using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using Unitization.StateStore.Scheduling;
using Unitization.TestUtils;
using Unitization.TestUtils.StateStore;

namespace Unitization.StateStore.Tests.Scheduling;

/// <summary>
/// A host over a test store with the state store and Quartz as a process of the fleet sets them up
/// (<see cref="StateStoreSchedulingExtensions.UseStateStore"/>), serving role <see cref="Role"/>, whose one job
/// <typeparamref name="TJob"/> requests recovery, as the fleet's jobs do, and has an every-second cron trigger unless
/// <c>schedule</c> gives another.
/// </summary>
internal static class SchedulerTestHost<TJob>
    where TJob : class, IJob
{
    public const string Role = "test";

    public static IHost Build(TestStateStore store, TempDirectory temp, JobKey job, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        Action<ITriggerConfigurator>? schedule = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["StateStore:Provider"] = store.Provider,
            ["StateStore:Path"] = store.SqlitePath ?? "state.db",
            ["StateStore:ConnectionString"] = store.ConnectionString,
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddLogging();
        services?.Invoke(builder.Services);
        builder.Services.AddStateStore(builder.Configuration, temp.Path);
        builder.Services.AddQuartz(q =>
        {
            q.UseStateStore(builder.Configuration, Role);
            q.AddJob<TJob>(j => j.WithIdentity(job).StoreDurably().RequestRecovery());
            q.AddTrigger(t => (schedule ?? (b => b.WithSchedule(CronScheduleBuilder.Create("* * * * * ?"))))(
                t.ForJob(job).WithIdentity(job.Name + "-trigger", Role).WithExecutionGroup(Role)));
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder.Build();
    }
}
