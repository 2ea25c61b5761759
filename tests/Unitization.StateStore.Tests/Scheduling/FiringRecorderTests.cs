using System.ComponentModel.DataAnnotations;
using Quartz;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;
using Unitization.TestUtils.StateStore;

namespace Unitization.StateStore.Tests.Scheduling;

/// <summary><c>scheduler_firings</c> on both providers: a host's every-second trigger records its firings and prunes old ones.</summary>
public sealed class FiringRecorderTests
{
    private static readonly JobKey Job = new("test-firing", SchedulerTestHost<NoOpJob>.Role);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task JobToBeExecuted_RecordsTheFiring_DeletesFiringsOlderThanTheRetention(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await TestStateStore.CreateAsync(provider, ct);
        using var temp = new TempDirectory("firings");
        using var host = SchedulerTestHost<NoOpJob>.Build(store, temp, Job, new Dictionary<string, string?> { ["StateStore:FiringsRetention"] = "1.00:00:00" });
        await host.StartAsync(ct);
        try
        {
            var database = store.OpenAnother([]);
            Assert.True(await Eventually.TrueAsync(async () => await CountAsync(database, Job.ToString()) > 0, Deadline, ct), "no firing was recorded");

            // a fleet's history: one firing two days old, one twelve hours old (kept under a one-day retention)
            var now = TimeProvider.System.GetUtcNow();
            await InsertAsync(database, "old", now - TimeSpan.FromDays(2), ct);
            await InsertAsync(database, "recent", now - TimeSpan.FromHours(12), ct);
            var recorded = await CountAsync(database, Job.ToString());

            Assert.True(await Eventually.TrueAsync(async () => await CountAsync(database, "old") == 0, Deadline, ct), "the firing older than the retention was never deleted");
            Assert.Equal(1, await CountAsync(database, "recent"));
            Assert.True(await CountAsync(database, Job.ToString()) >= recorded);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Theory]
    [InlineData("00:59:59")]
    [InlineData("3650.00:00:01")]
    public void Validate_FiringsRetentionOutOfRange_NamesIt(string retention)
    {
        var options = new StateStoreOptions { FiringsRetention = TimeSpan.Parse(retention, System.Globalization.CultureInfo.InvariantCulture) };

        var errors = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));

        Assert.StartsWith("FiringsRetention must be from 01:00:00", Assert.Single(errors).ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(14), new StateStoreOptions().FiringsRetention);
    }

    private static Task InsertAsync(IStateDatabase database, string job, DateTimeOffset scheduled, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "INSERT INTO scheduler_firings (job, scheduled_at, fired_at, instance, recovering) VALUES (@job, @at, @at, 'another-node', 0)",
            [("@job", job), ("@at", scheduled.ToUnixTimeMilliseconds())],
            cancellationToken);

    private static async Task<long> CountAsync(IStateDatabase database, string job)
    {
        try
        {
            return Convert.ToInt64(
                await database.ScalarAsync("SELECT COUNT(*) FROM scheduler_firings WHERE job = @job", [("@job", job)], TestContext.Current.CancellationToken),
                System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (System.Data.Common.DbException)
        {
            return 0; // the host has not created the table yet
        }
    }

    internal sealed class NoOpJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
