using Microsoft.Extensions.Time.Testing;
using Unitization.TestUtils;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Client;
using Unitization.Throttle.Configuration;

namespace Unitization.Throttle.Tests.Client;

/// <summary>
/// A migration's <c>--rate</c> is a cap inside the link's budget (issue 16, case 8: with dcA->dcB at 5 MB/s a
/// migration at "1GB/s" copied 100 MiB in 0.3 s and the link's granted bytes did not move). In fake time: the link's
/// granted bytes move by every byte, and the bytes never exceed what the slower of link and cap allowed.
/// </summary>
public sealed class CappedBandwidthBudgetTests : IDisposable
{
    private const long MiB = 1 << 20;
    private const long Total = 100 * MiB;
    private static readonly LinkId Link = new("dcA", "dcB");
    private readonly FakeTimeProvider _time = new();
    private readonly List<LocalBandwidthBudget> _budgets = [];

    public void Dispose()
    {
        foreach (var budget in _budgets)
        {
            budget.Dispose();
        }
    }

    [Fact]
    public async Task AcquireAsync_CapAboveTheLinkRate_TheLinkDecidesAndCountsEveryByte()
    {
        var link = LinkAt(5_000_000);
        var budget = new CappedBandwidthBudget(link, 1_000_000_000, _time);

        var elapsed = await _time.DriveAsync(PayAsync(budget, TestContext.Current.CancellationToken), TimeSpan.FromMilliseconds(10));

        var state = link.Snapshot().Single();
        Assert.Equal(Total, state.GrantedBytes);
        // never beside the link's budget: at most its rate over the time taken, plus its burst (100 MiB at 5 MB/s: about 21 s)
        Assert.InRange(Total / ((5_000_000 * elapsed.TotalSeconds) + state.BurstBytes + MiB), 0, 1.0);
        Assert.InRange(elapsed.TotalSeconds, 20, 40);
    }

    [Fact]
    public async Task AcquireAsync_CapBelowTheLinkRate_TheCapHoldsAndTheLinkCountsEveryByte()
    {
        var link = LinkAt(100_000_000);
        var budget = new CappedBandwidthBudget(link, 5_000_000, _time);

        var elapsed = await _time.DriveAsync(PayAsync(budget, TestContext.Current.CancellationToken), TimeSpan.FromMilliseconds(10));

        Assert.Equal(Total, link.Snapshot().Single().GrantedBytes);
        Assert.InRange(Total / ((5_000_000 * elapsed.TotalSeconds) + MiB), 0, 1.0);
    }

    [Fact]
    public async Task AcquireAsync_LinkNotBudgeted_TheCapAloneHolds()
    {
        var budget = new CappedBandwidthBudget(null, 5_000_000, _time);

        var elapsed = await _time.DriveAsync(PayAsync(budget, TestContext.Current.CancellationToken), TimeSpan.FromMilliseconds(10));

        Assert.InRange(Total / ((5_000_000 * elapsed.TotalSeconds) + MiB), 0, 1.0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1e-7)]
    [InlineData(5e-324)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_CapBelowOneByteOrNotFinite_IsRefused(double cap) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CappedBandwidthBudget(null, cap, _time));

    private LocalBandwidthBudget LinkAt(double bytesPerSecond)
    {
        var budget = new LocalBandwidthBudget(new ThrottleOptions { Links = [new LinkOptions { From = "dcA", To = "dcB", BytesPerSecond = bytesPerSecond }] }, _time);
        _budgets.Add(budget);
        return budget;
    }

    private static async Task PayAsync(IBandwidthBudget budget, CancellationToken cancellationToken)
    {
        for (long paid = 0; paid < Total; paid += MiB)
        {
            await budget.AcquireAsync(Link, TrafficPriority.Low, "migrate:/warehouse/t", MiB, cancellationToken);
        }
    }
}
