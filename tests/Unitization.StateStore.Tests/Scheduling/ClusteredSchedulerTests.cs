using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;
using Unitization.TestUtils.StateStore;

namespace Unitization.StateStore.Tests.Scheduling;

/// <summary>Two hosts over one real PostgreSQL, each scheduling the same every-second cron trigger, as two processes of a fleet.</summary>
public sealed class ClusteredSchedulerTests
{
    private const string Role = SchedulerTestHost<RecordFireJob>.Role;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TwoNodes_EverySecondTrigger_EachFireTimeRunsOnceAndTheSurvivorGoesOn()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory("quartz");
        var fired = new FireLog();
        await using var fleet = await FleetPair<IHost>.StartAsync((store, name) => Node(store, temp, fired, name), ct);
        var (first, second) = (fleet.First, fleet.Second);
        await Task.WhenAll(first.StartAsync(ct), second.StartAsync(ct));

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(fired.Count >= 6), Deadline, ct), $"the trigger fired {fired.Count} times");
        await first.StopAsync(ct);
        var stopped = fired.Count;
        Assert.True(
            await Eventually.TrueAsync(() => Task.FromResult(fired.Entries.Skip(stopped).Count(e => e.Node == "second") >= 3), Deadline, ct),
            "the surviving node did not go on firing");
        await second.StopAsync(ct);

        var duplicates = fired.Entries.GroupBy(e => e.ScheduledAt).Where(g => g.Count() > 1).Select(g => $"{g.Key:O} on {string.Join(", ", g.Select(e => e.Node))}").ToList();
        Assert.True(duplicates.Count == 0, "fired more than once: " + string.Join("; ", duplicates));
    }

    /// <summary>
    /// A node dies while its job runs (its scheduler stops without waiting, so the firing stays executing in
    /// <c>qrtz_fired_triggers</c>, as after kill -9): the other node runs that firing again as a recovery, and
    /// <c>scheduler_firings</c> records it for the same scheduled time as the first run, to the millisecond. An interval
    /// trigger started now fires off the second, which the recovery's own data keeps only to the second.
    /// </summary>
    [Theory]
    [InlineData("cron")]
    [InlineData("interval")]
    public async Task NodeDiesWhileItsJobRuns_TheOtherRunsThatFiringAgain_RecordedForTheSameScheduledTime(string schedule)
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory("quartz-recovery");
        var runs = new RunLog();
        Action<ITriggerConfigurator> trigger = schedule == "cron"
            ? t => t.WithSchedule(CronScheduleBuilder.Create("* * * * * ?"))
            : t => t.WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMilliseconds(1_500)).RepeatForever());
        await using var fleet = await FleetPair<IHost>.StartAsync(
            (store, name) => SchedulerTestHost<HangOnFirstNodeJob>.Build(store, temp, HangOnFirstNodeJob.Key, schedule: trigger, services: services =>
            {
                services.AddSingleton(runs);
                services.AddSingleton(new NodeName(name));
            }),
            ct);
        try
        {
            await fleet.First.StartAsync(ct);
            var hung = await runs.Hung.Task.WaitAsync(Deadline, ct);
            var scheduler = await fleet.First.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
            await scheduler.Shutdown(waitForJobsToComplete: false, ct);

            await fleet.Second.StartAsync(ct);
            await runs.Recovered.Task.WaitAsync(Deadline, ct);
            await fleet.Second.StopAsync(ct);

            var firings = await FiringsAsync(fleet.Store, ct);
            Assert.Contains((hung.ScheduledAt.ToUnixTimeMilliseconds(), false), firings);
            Assert.Contains((hung.ScheduledAt.ToUnixTimeMilliseconds(), true), firings);
            Assert.Single(firings, f => !f.Recovering && f.ScheduledAt == hung.ScheduledAt.ToUnixTimeMilliseconds());
        }
        finally
        {
            runs.Release.TrySetResult();
        }
    }

    private static async Task<List<(long ScheduledAt, bool Recovering)>> FiringsAsync(TestStateStore store, CancellationToken ct)
    {
        var connection = await store.OpenAnother([]).OpenAsync(ct);
        await using (connection)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT scheduled_at, recovering FROM scheduler_firings WHERE job = '{HangOnFirstNodeJob.Key}'";
            await using var reader = await command.ExecuteReaderAsync(ct);
            var firings = new List<(long, bool)>();
            while (await reader.ReadAsync(ct))
            {
                firings.Add((reader.GetInt64(0), reader.GetInt32(1) == 1));
            }

            return firings;
        }
    }

    private static IHost Node(TestStateStore store, TempDirectory temp, FireLog fired, string name) =>
        SchedulerTestHost<RecordFireJob>.Build(store, temp, RecordFireJob.Key, services: services =>
        {
            services.AddSingleton(fired);
            services.AddSingleton(new NodeName(name));
        });

    internal sealed record NodeName(string Value);

    internal sealed record Fire(string Node, DateTimeOffset ScheduledAt);

    internal sealed class FireLog
    {
        private readonly ConcurrentQueue<Fire> _entries = new();

        public int Count => _entries.Count;

        public IReadOnlyList<Fire> Entries => [.. _entries];

        public void Add(Fire fire) => _entries.Enqueue(fire);
    }

    internal sealed class RunLog
    {
        public TaskCompletionSource<Fire> Hung { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Recovered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>On node <c>first</c>, hangs (as a process that is about to die) until released, ignoring the scheduler's cancellation.</summary>
    [DisallowConcurrentExecution]
    internal sealed class HangOnFirstNodeJob(RunLog runs, NodeName node) : IJob
    {
        public static readonly JobKey Key = new("test-hang-on-first", Role);

        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (node.Value == "first")
            {
                runs.Hung.TrySetResult(new Fire(node.Value, context.ScheduledFireTimeUtc ?? context.FireTimeUtc));
                await runs.Release.Task.ConfigureAwait(false);
            }
            else if (context.Recovering)
            {
                runs.Recovered.TrySetResult();
            }
        }
    }

    internal sealed class RecordFireJob(FireLog fired, NodeName node) : IJob
    {
        public static readonly JobKey Key = new("test-record-fire", Role);

        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            fired.Add(new Fire(node.Value, context.ScheduledFireTimeUtc ?? context.FireTimeUtc));
            return ValueTask.CompletedTask;
        }
    }
}
