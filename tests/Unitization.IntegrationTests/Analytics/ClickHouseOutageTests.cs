using Unitization.Analytics.Storage;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Analytics;

/// <summary>ClickHouse stopped and restarted mid-stream: records wait on disk, and the totals match exactly what was published.</summary>
public sealed class ClickHouseOutageTests(AnalyticsStackWithOwnClickHouse stack) : IClassFixture<AnalyticsStackWithOwnClickHouse>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Ingest_ClickHouseStoppedAndRestartedMidStream_TotalsMatchPublished()
    {
        var prefix = "outage" + Guid.NewGuid().ToString("N")[..6];
        var records = TrafficSample.Make(prefix, jobs: 4, recordsPerJob: 300, DateTimeOffset.UtcNow);
        var first = records.Take(400).ToList();
        var during = records.Skip(400).Take(500).ToList();
        var after = records.Skip(900).ToList();

        await stack.PublishAsync(first);
        Assert.True(await stack.WaitForTotalsAsync(prefix, first.Count, first.Sum(r => r.Bytes), Deadline), "the first part did not arrive");

        await stack.StopClickHouseAsync();
        await stack.PublishAsync(during);
        await stack.PublishAsync(first.Take(100)); // a replay while ClickHouse is down
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(stack.Status.Spooled >= during.Count), Deadline, TestContext.Current.CancellationToken), "nothing was spooled while ClickHouse was down");

        await stack.StartClickHouseAsync();
        await stack.PublishAsync(after);
        Assert.True(await stack.WaitForTotalsAsync(prefix, records.Count, records.Sum(r => r.Bytes), Deadline), "the totals after the restart do not match what was published");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(stack.Status.PendingSpoolFiles == 0), Deadline, TestContext.Current.CancellationToken), "the spool did not drain");

        var like = ClickHouseSql.Quote(prefix);
        Assert.Equal(records.Count, await stack.ScalarAsync($"SELECT count() FROM traffic WHERE startsWith(job, {like})"));
        Assert.Equal(records.Count, await stack.ScalarAsync($"SELECT uniqExact(id) FROM traffic WHERE startsWith(job, {like})"));
        Assert.Equal(records.Sum(r => r.Bytes), await stack.ScalarAsync($"SELECT sum(bytes) FROM traffic_job_hourly WHERE startsWith(job, {like})"));
    }
}
