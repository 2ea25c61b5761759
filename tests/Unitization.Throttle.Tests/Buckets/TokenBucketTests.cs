using Microsoft.Extensions.Time.Testing;
using Unitization.Throttle.Buckets;

namespace Unitization.Throttle.Tests.Buckets;

public sealed class TokenBucketTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Refill_LookedAtEveryTenthOfAToken_KeepsTheFractions()
    {
        // 10 tokens/s, looked at every 10 ms: each look earns 0.1 token; rounding per look would earn nothing
        var bucket = new TokenBucket(_time, bytesPerSecond: 10, burst: 100, startFull: false);
        for (var i = 0; i < 1000; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            bucket.Refill();
        }

        Assert.Equal(100, bucket.Tokens, 6);
    }

    [Fact]
    public void TryTake_TimerJitterEarlyLooks_StillDeliversTheFullRate()
    {
        // dotnet/runtime#74056: the limiter replenished only when a whole period had elapsed since the last
        // replenish, so a timer firing a little early (999 ms for a 1 s period) added nothing and the rate fell.
        // Here every look 999 ms apart earns 0.999 of the period's tokens; nothing is lost.
        var bucket = new TokenBucket(_time, bytesPerSecond: 1000, burst: 1000, startFull: false);
        long taken = 0;
        for (var i = 0; i < 1000; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(999));
            while (bucket.TryTake(1))
            {
                taken++;
            }
        }

        // 999 s at 1000/s, less at most the fraction of one token still in the bucket
        Assert.InRange(taken, 998_999, 999_000);
    }

    [Fact]
    public void TryTake_RequestsFasterThanTheRate_AdmitsTheConfiguredRate()
    {
        // envoyproxy/envoy#24282: max_tokens 1000, tokens_per_fill 1000, fill_interval 1 s, 5000 requests/s offered,
        // only 600-700/s admitted because refill at interval boundaries under a jittery clock under-filled the bucket.
        var bucket = new TokenBucket(_time, bytesPerSecond: 1000, burst: 1000, startFull: false);
        var random = new Random(24282);
        long admitted = 0;
        var elapsed = TimeSpan.Zero;
        while (elapsed < TimeSpan.FromSeconds(60))
        {
            // 5000/s on average, jittered between 0 and 400 µs apart
            var gap = TimeSpan.FromTicks(random.Next(0, 4001));
            _time.Advance(gap);
            elapsed += gap;
            if (bucket.TryTake(1))
            {
                admitted++;
            }
        }

        var perSecond = admitted / elapsed.TotalSeconds;
        Assert.InRange(perSecond, 999, 1000.01);
    }

    [Fact]
    public void TryTake_AboveBurst_WaitsForAFullBucketThenGoesIntoDebt()
    {
        var bucket = new TokenBucket(_time, bytesPerSecond: 100, burst: 50, startFull: true);
        Assert.True(bucket.TryTake(200));
        Assert.Equal(-150, bucket.Tokens, 6);
        Assert.Equal(TimeSpan.FromSeconds(2), bucket.TimeUntil(200));
        _time.Advance(TimeSpan.FromSeconds(1.99));
        Assert.False(bucket.TryTake(200));
        _time.Advance(TimeSpan.FromSeconds(0.01));
        Assert.True(bucket.TryTake(200));
    }

    [Fact]
    public void Refill_LongIdle_StopsAtTheBurst()
    {
        var bucket = new TokenBucket(_time, bytesPerSecond: 1000, burst: 300, startFull: false);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(300, bucket.Tokens, 6);
    }

    [Fact]
    public void SetRate_Live_KeepsWhatWasEarnedAtTheOldRate()
    {
        var bucket = new TokenBucket(_time, bytesPerSecond: 100, burst: 1000, startFull: false);
        _time.Advance(TimeSpan.FromSeconds(2)); // 200 earned at 100/s
        bucket.SetRate(1000, 1000);
        _time.Advance(TimeSpan.FromSeconds(0.5)); // 500 more at 1000/s
        Assert.Equal(700, bucket.Tokens, 6);
    }

    [Fact]
    public void TimeUntil_ZeroRate_IsInfinite()
    {
        var bucket = new TokenBucket(_time, bytesPerSecond: 0, burst: 10, startFull: false);
        Assert.Equal(Timeout.InfiniteTimeSpan, bucket.TimeUntil(1));
    }
}
