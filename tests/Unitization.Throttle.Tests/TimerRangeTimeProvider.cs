using Microsoft.Extensions.Time.Testing;

namespace Unitization.Throttle.Tests;

/// <summary>
/// Fake time whose timers refuse what <see cref="System.Threading.Timer"/> refuses: a due time or period outside
/// -1 ms (infinite) to 4294967294 ms throws <see cref="ArgumentOutOfRangeException"/>, as the real timer does, so a
/// test on fake time catches an out-of-range timer that would take a real process down. Every due time armed is kept.
/// </summary>
internal sealed class TimerRangeTimeProvider(FakeTimeProvider inner) : TimeProvider
{
    public const double MaxTimerMilliseconds = 4294967294;

    private readonly List<TimeSpan> _dueTimes = [];

    public FakeTimeProvider Inner { get; } = inner;

    public IReadOnlyList<TimeSpan> DueTimes
    {
        get
        {
            lock (_dueTimes)
            {
                return [.. _dueTimes];
            }
        }
    }

    public override long TimestampFrequency => Inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Inner.LocalTimeZone;

    public override long GetTimestamp() => Inner.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => Inner.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Check(dueTime, period);
        return new CheckedTimer(this, Inner.CreateTimer(callback, state, dueTime, period));
    }

    private void Check(TimeSpan dueTime, TimeSpan period)
    {
        foreach (var (name, value) in new[] { ("dueTime", dueTime), ("period", period) })
        {
            var ms = (long)value.TotalMilliseconds;
            if (ms is < -1 or > (long)MaxTimerMilliseconds)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be -1 (infinite) to {MaxTimerMilliseconds} ms, as System.Threading.Timer requires");
            }
        }

        lock (_dueTimes)
        {
            _dueTimes.Add(dueTime);
        }
    }

    private sealed class CheckedTimer(TimerRangeTimeProvider owner, ITimer timer) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Check(dueTime, period);
            return timer.Change(dueTime, period);
        }

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
