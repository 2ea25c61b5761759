namespace Unitization.Replication.Migration;

/// <summary>
/// A copy's own rate: the bytes actually copied over the last <see cref="Window"/> (since the run started when that is
/// shorter, but over at least <see cref="MinimumSpan"/>, so the first chunk after a start or a resume cannot read as a
/// burst of gigabytes a second). Bytes a resumed run skips are never added, so they never count as speed.
/// </summary>
internal sealed class CopyRateMeter
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan MinimumSpan = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time;
    private readonly Queue<(long At, long Copied)> _samples = new();
    private readonly Lock _lock = new();
    private (long At, long Copied) _baseline;
    private long _copied;

    public CopyRateMeter(TimeProvider time)
    {
        _time = time;
        _baseline = (time.GetTimestamp(), 0);
    }

    /// <summary>Bytes copied since this meter started.</summary>
    public long Copied
    {
        get
        {
            lock (_lock)
            {
                return _copied;
            }
        }
    }

    public void Add(long bytes)
    {
        lock (_lock)
        {
            _copied += bytes;
            var now = _time.GetTimestamp();
            _samples.Enqueue((now, _copied));
            Trim(now);
        }
    }

    /// <summary>Bytes per second over the window (0 before anything was copied).</summary>
    public double BytesPerSecond
    {
        get
        {
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                Trim(now);
                var span = Math.Max(_time.GetElapsedTime(_baseline.At, now).TotalSeconds, MinimumSpan.TotalSeconds);
                return (_copied - _baseline.Copied) / span;
            }
        }
    }

    /// <summary>The baseline moves to the newest sample at least a window old.</summary>
    private void Trim(long now)
    {
        while (_samples.Count > 0 && _time.GetElapsedTime(_samples.Peek().At, now) >= Window)
        {
            _baseline = _samples.Dequeue();
        }
    }
}
