namespace Unitization.Hdfs.WebHdfs;

/// <summary>
/// How a WebHDFS namespace retries a NameNode step, with Hadoop's client defaults: up to <see cref="MaxAttempts"/>
/// tries in all (<c>dfs.client.failover.max.attempts</c> 15); a StandbyException or a connection error moves to the
/// next NameNode at once, a whole round of NameNodes failing (or a RetriableException, which retries the same one)
/// waits an exponential backoff from <see cref="BaseDelay"/> up to <see cref="MaxDelay"/>
/// (<c>dfs.client.failover.sleep.base.millis</c> 500, <c>.max.millis</c> 15000). <see cref="RequestTimeout"/> bounds
/// one metadata request (not a data transfer, which takes as long as its bytes do).
/// </summary>
public sealed record WebHdfsRetry(int MaxAttempts = 15, TimeSpan? BaseDelayValue = null, TimeSpan? MaxDelayValue = null, TimeSpan? RequestTimeoutValue = null)
{
    public TimeSpan BaseDelay => BaseDelayValue ?? TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay => MaxDelayValue ?? TimeSpan.FromSeconds(15);

    public TimeSpan RequestTimeout => RequestTimeoutValue ?? TimeSpan.FromSeconds(60);

    /// <summary>The wait before retry number <paramref name="round"/> (1-based): base × 2^(round-1), capped.</summary>
    public TimeSpan Backoff(int round)
    {
        var ticks = BaseDelay.Ticks * Math.Pow(2, Math.Min(Math.Max(round - 1, 0), 20));
        return TimeSpan.FromTicks((long)Math.Min(ticks, MaxDelay.Ticks));
    }
}
