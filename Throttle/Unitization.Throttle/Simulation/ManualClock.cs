namespace Unitization.Throttle.Simulation;

/// <summary>
/// Simulated time for the figures: moves only when told, and has no timers (the simulation pumps the scheduler
/// itself), so seconds of traffic at 10 GB/s take milliseconds to replay, exactly.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private long _ticks;

    public TimeSpan Elapsed => TimeSpan.FromTicks(_ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public override DateTimeOffset GetUtcNow() => Epoch.AddTicks(_ticks);

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        _ticks += delta.Ticks;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new NotSupportedException("Simulated time has no timers: the simulation pumps the scheduler itself.");
}
