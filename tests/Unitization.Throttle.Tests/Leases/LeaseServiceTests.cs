using Microsoft.Extensions.Time.Testing;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.Leases;

namespace Unitization.Throttle.Tests.Leases;

public sealed class LeaseServiceTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ThrottleOptions _options = new()
    {
        Links = [new LinkOptions { From = "dcA", To = "dcB", BytesPerSecond = 1000, BurstBytes = 1000 }],
        LeaseSlice = TimeSpan.FromSeconds(1),
        LeaseTtl = TimeSpan.FromSeconds(2),
        MaxLeaseWait = TimeSpan.FromSeconds(1),
    };

    private readonly LocalBandwidthBudget _budget;
    private readonly LeaseService _service;

    public LeaseServiceTests()
    {
        _budget = new LocalBandwidthBudget(_options, _time);
        _service = new LeaseService(_budget, _options, _time);
    }

    [Fact]
    public async Task GrantAsync_MoreThanASlice_GrantsOneSliceAndCountsItUntilItExpires()
    {
        var grant = await _service.GrantAsync(new LeaseRequest("dcA->dcB", TrafficPriority.Normal, "job", 50_000), TestContext.Current.CancellationToken);

        Assert.Equal(1000, grant.GrantedBytes); // one second of 1000 B/s
        Assert.Equal(2000, grant.TtlMilliseconds);
        Assert.Equal(1, _service.Summary().Active);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, _service.Summary().Active);
        Assert.Equal(1000, _service.Summary().GrantedTotal);
    }

    [Fact]
    public async Task GrantAsync_NoBudgetWithinTheWait_AnswersNoneYet()
    {
        await _service.GrantAsync(new LeaseRequest("dcA->dcB", TrafficPriority.Normal, "a", 1000), TestContext.Current.CancellationToken);
        var waiting = _service.GrantAsync(new LeaseRequest("dcA->dcB", TrafficPriority.Low, "b", 1000), TestContext.Current.CancellationToken);
        var other = _service.GrantAsync(new LeaseRequest("dcA->dcB", TrafficPriority.High, "c", 1000), TestContext.Current.CancellationToken);

        _time.Advance(TimeSpan.FromSeconds(1)); // High is served first, Low's wait runs out
        var grant = await waiting;

        Assert.Equal(1000, (await other).GrantedBytes);
        Assert.Equal(0, grant.GrantedBytes);
        Assert.True(grant.RetryAfterMilliseconds > 0);
        Assert.Equal(1, _service.Summary().TimedOut);
        Assert.Equal(0, _budget.Snapshot().Single(l => l.Link == "dcA->dcB").WaitingRequests);
    }

    [Fact]
    public async Task GrantAsync_WaitedForBudget_TtlCountsTheWaitSoTheLeaseIsNotDeadOnArrival()
    {
        await _service.GrantAsync(new LeaseRequest("dcA->dcB", TrafficPriority.Normal, "a", 1000), TestContext.Current.CancellationToken); // drains the link
        var waiting = _service.GrantAsync(new LeaseRequest("dcA->dcB", TrafficPriority.Normal, "b", 500), TestContext.Current.CancellationToken);

        _time.Advance(TimeSpan.FromMilliseconds(500));
        var grant = await waiting;

        Assert.Equal(500, grant.GrantedBytes);
        Assert.Equal(2500, grant.TtlMilliseconds); // counted from the request: the half second it waited, then the lease's 2 s
    }

    [Theory]
    [InlineData("dcA", "job", 10, "link:")]
    [InlineData("dcA->dcB", "", 10, "tenant:")]
    [InlineData("dcA->dcB", "job", 0, "bytes:")]
    public async Task GrantAsync_BadRequest_SaysWhichField(string link, string tenant, long bytes, string field)
    {
        var error = await Assert.ThrowsAsync<LeaseRequestException>(
            () => _service.GrantAsync(new LeaseRequest(link, TrafficPriority.Normal, tenant, bytes), TestContext.Current.CancellationToken));

        Assert.StartsWith(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrantAsync_UnknownLink_NamesTheConfigurationKey()
    {
        var error = await Assert.ThrowsAsync<KeyNotFoundException>(
            () => _service.GrantAsync(new LeaseRequest("dcA->dcZ", TrafficPriority.Normal, "job", 10), TestContext.Current.CancellationToken));

        Assert.Contains("Throttle:Links", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _budget.Dispose();
}
