using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Caps;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.Scheduling;

namespace Unitization.Throttle.Tests.Scheduling;

/// <summary>
/// For every rate the throttle accepts (link rates and caps from 1 B/s to 1 TB/s, <see cref="ByteRate"/>), any
/// request sizes and any passage of time, the scheduler arms its timer only with due times a real timer takes
/// (at most 4294967294 ms); issue 16 saw a 1e-7 B/s cap make every lease fail with that very exception.
/// </summary>
public sealed class LinkSchedulerTimerPropertyTests
{
    private static readonly Dictionary<TrafficPriority, double> Floors = new() { [TrafficPriority.High] = 0.3, [TrafficPriority.Normal] = 0.2, [TrafficPriority.Low] = 0.1 };

    /// <summary>Rates across the accepted range, log-uniform, with both ends and their neighbours.</summary>
    private static Gen<double> AcceptedRate() => Gen.OneOf(
        Gen.Elements(ByteRate.MinBytesPerSecond, ByteRate.MaxBytesPerSecond, 1.5, 999_999_999_999.0),
        Gen.Choose(0, 1_000_000).Select(i => Math.Clamp(Math.Pow(10, 12.0 * i / 1_000_000), ByteRate.MinBytesPerSecond, ByteRate.MaxBytesPerSecond)));

    private static Gen<long> Bytes() => Gen.OneOf(
        Gen.Choose(0, 62).Select(e => 1L << e),
        Gen.Choose(1, 1_000_000).Select(i => (long)i),
        Gen.Elements(1L, long.MaxValue / 2));

    [Fact]
    public void AcquireAsync_AnyAcceptedRatesAndSizes_ArmsTimersOnlyInRange()
    {
        var step = from bytes in Bytes()
                   from priority in Gen.Choose(0, 2)
                   from tenant in Gen.Choose(0, 3)
                   from advance in Gen.Choose(0, 120_000)
                   select (bytes, priority, tenant, advance);
        var scenario = from linkRate in AcceptedRate()
                       from capRate in AcceptedRate()
                       from steps in step.ListOf()
                       select (linkRate, capRate, steps.Take(12).ToArray());
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(scenario.ToArbitrary(), s => Holds(s.linkRate, s.capRate, s.Item3)));
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(1e12, 1.0)]
    [InlineData(1.0, 1e12)]
    public void AcquireAsync_CapOfOneByteASecondAndAHugeRequest_TimerStaysInRange(double linkRate, double capRate)
    {
        Assert.True(Holds(linkRate, capRate, [(long.MaxValue / 2, 1, 1, 0), (1 << 30, 1, 1, 60_000), (1, 0, 0, 1)]));
    }

    [Fact]
    public void TimerDelay_AnyWait_IsWholeMillisecondsFromOneToTheMaximum()
    {
        TimeSpan[] waits = [TimeSpan.Zero, TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(1.5), TimeSpan.FromDays(49.8), TimeSpan.MaxValue, Timeout.InfiniteTimeSpan, TimeSpan.MinValue];
        foreach (var wait in waits)
        {
            var delay = LinkScheduler.TimerDelay(wait);
            Assert.InRange(delay, TimeSpan.FromMilliseconds(1), LinkScheduler.MaxTimerDelay);
            Assert.Equal(Math.Floor(delay.TotalMilliseconds), delay.TotalMilliseconds);
        }
    }

    /// <param name="steps">bytes, priority, tenant (0 and 1 are capped), milliseconds to advance before the request.</param>
    private static bool Holds(double linkRate, double capRate, (long Bytes, int Priority, int Tenant, int AdvanceMs)[] steps)
    {
        var fake = new FakeTimeProvider();
        var time = new TimerRangeTimeProvider(fake);
        var caps = new TenantCapRegistry();
        caps.Set(new TenantCap("tenant-0", capRate, "test", fake.GetUtcNow(), null));
        caps.Set(new TenantCap("tenant-1", ByteRate.MinBytesPerSecond, "test", fake.GetUtcNow(), null));
        var burst = new LinkOptions { From = "dcA", To = "dcB", BytesPerSecond = linkRate }.EffectiveBurst();
        using var link = new LinkScheduler(new LinkId("dcA", "dcB"), linkRate, burst, Floors, time, caps, _ => 1);
        using var cancel = new CancellationTokenSource();
        var pending = new List<Task>();
        foreach (var (bytes, priority, tenant, advance) in steps)
        {
            fake.Advance(TimeSpan.FromMilliseconds(advance)); // fires due timers: each re-arms through the check
            pending.Add(link.AcquireAsync((TrafficPriority)priority, "tenant-" + tenant, bytes, cancel.Token).AsTask());
        }

        link.SetRate(linkRate / 2 < ByteRate.MinBytesPerSecond ? ByteRate.MinBytesPerSecond : linkRate / 2);
        fake.Advance(LinkScheduler.MaxTimerDelay);
        cancel.Cancel(); // cancelling waiters re-pumps and re-arms too
        return pending.TrueForAll(t => t.IsCompleted)
            && time.DueTimes.All(d => d == Timeout.InfiniteTimeSpan || (d >= TimeSpan.Zero && d.TotalMilliseconds <= TimerRangeTimeProvider.MaxTimerMilliseconds));
    }
}
