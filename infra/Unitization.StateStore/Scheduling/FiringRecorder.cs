using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Quartz.Extensibility;

namespace Unitization.StateStore.Scheduling;

/// <summary>
/// Records each firing of a scheduled job in the state store before the job runs (<c>scheduler_firings</c>: the job,
/// the time its trigger was scheduled for, the node that ran it, when, and whether it was a recovery of a firing a dead
/// node left): which node ran what when, and across a fleet that a trigger fired once. Each record also deletes the
/// records scheduled more than <c>StateStore:FiringsRetention</c> before it, so the table holds that much history
/// however long the fleet runs. A failed insert or delete is logged and never stops the job.
/// </summary>
internal sealed class FiringRecorder(IStateDatabase database, IOptions<StateStoreOptions> options, ILogger<FiringRecorder> logger) : IJobListener
{
    public static readonly StateMigration Migration = new("scheduler", 1, "scheduler_firings", """
        CREATE TABLE scheduler_firings (
            job          TEXT    NOT NULL,
            scheduled_at BIGINT  NOT NULL,
            fired_at     BIGINT  NOT NULL,
            instance     TEXT    NOT NULL,
            recovering   INTEGER NOT NULL);
        CREATE INDEX scheduler_firings_job ON scheduler_firings (job, scheduled_at);
        """);

    public string Name => "unitization-firings";

    public async ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.JobDetail.Key.ToString();
        try
        {
            var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var command = StateSql.Command(connection, "INSERT INTO scheduler_firings (job, scheduled_at, fired_at, instance, recovering) VALUES (@job, @scheduled, @fired, @instance, @recovering)");
                await using (command.ConfigureAwait(false))
                {
                    command.Add("@job", job);
                    command.Add("@scheduled", (await ScheduledForAsync(context, cancellationToken).ConfigureAwait(false)).ToUnixTimeMilliseconds());
                    command.Add("@fired", context.FireTimeUtc.ToUnixTimeMilliseconds());
                    command.Add("@instance", context.Scheduler.SchedulerInstanceId);
                    command.Add("@recovering", context.Recovering ? 1 : 0);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await PruneAsync(connection, context.FireTimeUtc - options.Value.FiringsRetention, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or SchedulerException or InvalidOperationException or TimeoutException)
        {
            StateStoreLog.FiringNotRecorded(logger, job, ex.Message);
        }
    }

    /// <summary>
    /// The time the firing was scheduled for. A recovery (a firing a dead node left, re-run because the job requests
    /// recovery) has a trigger of its own that fires when the dead node did; the time the original trigger was scheduled
    /// for is in the recovery's job data, to the second, and the original trigger gives it exactly.
    /// </summary>
    internal static async ValueTask<DateTimeOffset> ScheduledForAsync(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var scheduled = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        if (!context.Recovering
            || context.MergedJobDataMap.GetString(SchedulerConstants.FailedJobOriginalTriggerScheduledFireTime) is not { } text
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var second))
        {
            return scheduled;
        }

        var original = context.RecoveringTriggerKey is { } key ? await context.Scheduler.GetTrigger(key, cancellationToken).ConfigureAwait(false) : null;
        return original?.GetFireTimeAfter(second.AddTicks(-1)) is { } exact && exact - second < TimeSpan.FromSeconds(1) ? exact : second;
    }

    /// <summary>Deletes the firings scheduled before <paramref name="before"/>; the number deleted.</summary>
    internal static async Task<int> PruneAsync(DbConnection connection, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var command = StateSql.Command(connection, "DELETE FROM scheduler_firings WHERE scheduled_at < @before");
        await using (command.ConfigureAwait(false))
        {
            command.Add("@before", before.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => default;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default) => default;

    public ValueTask JobProgressChanged(IJobExecutionContext context, FireInstanceProgress progress, CancellationToken cancellationToken = default) => default;
}
