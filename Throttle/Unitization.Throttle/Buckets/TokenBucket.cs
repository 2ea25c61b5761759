namespace Unitization.Throttle.Buckets;

/// <summary>
/// A token bucket as pure arithmetic over <see cref="TimeProvider"/> timestamps: no timer, refill is computed lazily
/// from the time elapsed since the last look, with fractional tokens kept (never rounded away), so the delivered rate
/// does not depend on how often or how irregularly the bucket is looked at. Not thread-safe: the owner locks.
/// </summary>
/// <remarks>
/// A take may exceed the tokens held when the request is larger than the burst (it is admitted once the bucket is
/// full); the bucket then goes into debt, which later refill pays back, so the long-run rate stays exact.
/// </remarks>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private double _tokensPerTick;
    private double _tokens;
    private long _last;

    public TokenBucket(TimeProvider time, double bytesPerSecond, double burst, bool startFull = true)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _last = time.GetTimestamp();
        SetRateCore(bytesPerSecond, burst);
        _tokens = startFull ? Burst : 0;
    }

    public double BytesPerSecond { get; private set; }

    public double Burst { get; private set; }

    /// <summary>Tokens held now (negative while in debt).</summary>
    public double Tokens
    {
        get
        {
            Refill();
            return _tokens;
        }
    }

    /// <summary>Adds the tokens earned since the last look, up to the burst.</summary>
    public void Refill() => Refill(_time.GetTimestamp());

    /// <summary>Adds the tokens earned up to <paramref name="now"/> (a timestamp of the bucket's clock), up to the burst.</summary>
    public void Refill(long now)
    {
        var elapsed = now - _last;
        if (elapsed <= 0)
        {
            return;
        }

        _last = now;
        if (_tokens < Burst)
        {
            _tokens = Math.Min(Burst, _tokens + (elapsed * _tokensPerTick));
        }
    }

    /// <summary>Whether <paramref name="bytes"/> may be taken now (a request above the burst needs a full bucket).</summary>
    public bool CanTake(long bytes) => CanTake(bytes, _time.GetTimestamp());

    public bool CanTake(long bytes, long now)
    {
        Refill(now);
        return _tokens >= Math.Min(bytes, Burst);
    }

    /// <summary>Takes <paramref name="bytes"/> (possibly into debt, never below <paramref name="debtLimit"/>).</summary>
    public void Take(long bytes, double debtLimit = double.NegativeInfinity) => Take(bytes, _time.GetTimestamp(), debtLimit);

    public void Take(long bytes, long now, double debtLimit = double.NegativeInfinity)
    {
        Refill(now);
        _tokens = Math.Max(debtLimit, _tokens - bytes);
    }

    /// <summary>Takes <paramref name="bytes"/> if <see cref="CanTake"/>; returns whether it did.</summary>
    public bool TryTake(long bytes)
    {
        if (!CanTake(bytes))
        {
            return false;
        }

        _tokens -= bytes;
        return true;
    }

    /// <summary>How long until <paramref name="bytes"/> may be taken (zero if now; infinite at rate zero).</summary>
    public TimeSpan TimeUntil(long bytes) => TimeUntil(bytes, _time.GetTimestamp());

    public TimeSpan TimeUntil(long bytes, long now)
    {
        Refill(now);
        var missing = Math.Min(bytes, Burst) - _tokens;
        if (missing <= 0)
        {
            return TimeSpan.Zero;
        }

        if (_tokensPerTick <= 0)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var ticks = Math.Ceiling(missing / _tokensPerTick);
        var timeSpanTicks = Math.Ceiling(ticks / _time.TimestampFrequency * TimeSpan.TicksPerSecond);
        // a rate so low (or a debt so deep) that the wait passes what a TimeSpan holds: the longest TimeSpan, never
        // a wrapped or saturated-negative value; callers arm their timers for at most a bounded time anyway
        return timeSpanTicks < TimeSpan.MaxValue.Ticks ? TimeSpan.FromTicks((long)timeSpanTicks) : TimeSpan.MaxValue;
    }

    /// <summary>Changes the rate and burst live: what was earned so far at the old rate is kept (up to the new burst).</summary>
    public void SetRate(double bytesPerSecond, double burst)
    {
        Refill();
        SetRateCore(bytesPerSecond, burst);
        _tokens = Math.Min(_tokens, Burst);
    }

    private void SetRateCore(double bytesPerSecond, double burst)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(burst);
        if (!double.IsFinite(bytesPerSecond) || !double.IsFinite(burst))
        {
            throw new ArgumentOutOfRangeException(nameof(bytesPerSecond), $"A bucket's rate and burst must be finite (rate {bytesPerSecond}, burst {burst}).");
        }

        BytesPerSecond = bytesPerSecond;
        Burst = burst;
        _tokensPerTick = bytesPerSecond / _time.TimestampFrequency;
    }
}
