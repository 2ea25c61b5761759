using Microsoft.Extensions.Time.Testing;

namespace Unitization.Replication.Tests.Fakes;

/// <summary>
/// Fake time in which every wait ends at once: a timer created with a due time moves the clock forward by it (so it
/// fires), as if the code under test slept that long. Backoff and retry limits are then tested by the clock they read,
/// with no real waiting.
/// </summary>
internal sealed class InstantDelayTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            Advance(dueTime);
        }

        return timer;
    }
}
