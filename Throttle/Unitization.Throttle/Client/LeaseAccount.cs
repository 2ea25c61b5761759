using Unitization.Throttle.Budget;

namespace Unitization.Throttle.Client;

/// <summary>
/// The leased bytes a client holds for one (link, priority, tenant): slices, each spendable until it expires.
/// Only what is held is ever spent. The owner locks the account.
/// </summary>
internal sealed class LeaseAccount(LinkId link, TrafficPriority priority, string tenant)
{
    private readonly Queue<(long Bytes, long ExpiresAt)> _slices = new();
    private long _headSpent;
    private long _lastDone;

    public LinkId Link { get; } = link;

    public TrafficPriority Priority { get; } = priority;

    public string Tenant { get; } = tenant;

    /// <summary>The lease request in flight, if any.</summary>
    public Task? Renewal { get; set; }

    /// <summary>Whether the current acquire came within a streaming gap of the last one's end (see <see cref="Start"/>).</summary>
    public bool Streaming { get; private set; }

    /// <summary>
    /// Records an acquire starting at <paramref name="now"/>: it streams when the one before ended at most
    /// <paramref name="within"/> earlier. Only a streaming account is worth a lease ahead of need: a one-off acquire's
    /// surplus would expire unused, taken from the link for nothing.
    /// </summary>
    public bool Start(long now, long within)
    {
        Streaming = _lastDone != 0 && now - _lastDone <= within;
        return Streaming;
    }

    /// <summary>Records that an acquire got all its bytes at <paramref name="now"/>.</summary>
    public void Done(long now) => _lastDone = now;

    public void Add(long bytes, long expiresAt) => _slices.Enqueue((bytes, expiresAt));

    /// <summary>Bytes held and not expired at <paramref name="now"/>.</summary>
    public long Held(long now)
    {
        DropExpired(now);
        return _slices.Sum(s => s.Bytes) - _headSpent;
    }

    /// <summary>Spends up to <paramref name="want"/> from unexpired slices, oldest first; returns how much.</summary>
    public long Take(long want, long now)
    {
        DropExpired(now);
        long taken = 0;
        while (taken < want && _slices.Count > 0)
        {
            var (bytes, _) = _slices.Peek();
            var part = Math.Min(want - taken, bytes - _headSpent);
            taken += part;
            _headSpent += part;
            if (_headSpent == bytes)
            {
                _slices.Dequeue();
                _headSpent = 0;
            }
        }

        return taken;
    }

    private void DropExpired(long now)
    {
        while (_slices.Count > 0 && _slices.Peek().ExpiresAt <= now)
        {
            _slices.Dequeue();
            _headSpent = 0;
        }
    }
}
