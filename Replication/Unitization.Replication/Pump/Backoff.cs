namespace Unitization.Replication.Pump;

/// <summary>Exponential backoff from 100 ms, doubling up to a ceiling.</summary>
internal sealed class Backoff(TimeSpan max)
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);
    private TimeSpan _next = First;

    public int Attempt { get; private set; }

    public TimeSpan Next()
    {
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, max.Ticks));
        Attempt++;
        return delay < max ? delay : max;
    }

    public void Reset()
    {
        _next = First;
        Attempt = 0;
    }
}
