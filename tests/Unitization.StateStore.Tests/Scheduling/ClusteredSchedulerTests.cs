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
