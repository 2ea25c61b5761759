namespace Unitization.Analytics.Ingest;

/// <summary>
/// The ids of the records stored (or spooled) in the dedupe window, by the hour of the record's own time: a replayed
/// record carries the same id and time, so it finds its twin in the same hour. Hours older than the window are
/// dropped; records that old are checked against ClickHouse instead. Stale (after a start or a partition
/// reassignment, when another writer may have stored records this one never saw) until reloaded from ClickHouse.
/// The hours' slot arrays are reused (<see cref="SlotArrays"/>): an hour that leaves the window, or every hour on a
/// <see cref="Clear"/>, hands its slots to the hours that come next, and a new hour is sized like the hours before it.
/// <see cref="Dispose"/> lets them all go.
/// </summary>
internal sealed class DedupeFilter : IDisposable
{
    // ids an hour's set holds before it first grows (512 KB of slots): a stream's hour rarely holds fewer
    private const int InitialHourCapacity = 32 * 1024;

    private readonly Dictionary<long, UInt64Set> _hours = [];
    private readonly SlotArrays _arrays = new();

    // the most ids an hour held among those last let go (evicted or cleared): what the next new hour is sized for
    private int _recentHourSize;

    // records of a batch mostly share an hour: the last one looked up
    private long _lastHour = long.MinValue;
    private UInt64Set? _lastIds;

    // marked stale by the consumer's rebalance callback, loaded by the dedupe stage: a reload counts only if no new
    // assignment came while it ran
    private int _generation = 1;
    private int _loaded;

    public DedupeFilter(TimeSpan window)
    {
        Window = window;
    }

    public TimeSpan Window { get; }

    public bool IsStale => Volatile.Read(ref _loaded) != Volatile.Read(ref _generation);

    public int Count { get; private set; }

    public void MarkStale() => Interlocked.Increment(ref _generation);

    /// <summary>The generation to pass to <see cref="MarkLoaded"/> once the reload that starts now has finished.</summary>
    public int Generation => Volatile.Read(ref _generation);

    public void MarkLoaded(int generation) => Volatile.Write(ref _loaded, generation);

    /// <summary>Slot arrays waiting for reuse, and their bytes.</summary>
    public (int Arrays, long Bytes) SpareSlots => (_arrays.FreeCount, _arrays.FreeBytes);

    /// <summary>Forgets every id (before a reload from what is durably stored); their slots wait for the hours that come next.</summary>
    public void Clear()
    {
        if (_hours.Count > 0)
        {
            _recentHourSize = _hours.Values.Max(ids => ids.Count);
        }

        foreach (var ids in _hours.Values)
        {
            ids.Dispose();
        }

        _hours.Clear();
        _lastIds = null;
        _lastHour = long.MinValue;
        Count = 0;
    }

    /// <summary>Forgets every id and lets every slot array go.</summary>
    public void Dispose()
    {
        Clear();
        _arrays.Release();
    }

    /// <summary>Whether a record of this time is old enough that the filter no longer remembers its hour.</summary>
    public bool IsOutsideWindow(DateTimeOffset recordTime, DateTimeOffset now) => recordTime < now - Window;

    /// <summary>Adds an id; false when it was there already (a duplicate).</summary>
    public bool TryAdd(ulong idHash, DateTimeOffset recordTime)
    {
        var hour = HourOf(recordTime);
        var ids = _lastIds;
        if (hour != _lastHour || ids is null)
        {
            if (!_hours.TryGetValue(hour, out ids))
            {
                // sized like the hour looked up last, or the last hours let go: hours of one stream hold about as many
                // records each
                ids = new UInt64Set(Math.Max(InitialHourCapacity, Math.Max(_lastIds?.Count ?? 0, _recentHourSize)), _arrays);
                _hours[hour] = ids;
            }

            (_lastHour, _lastIds) = (hour, ids);
        }

        if (!ids.Add(idHash))
        {
            return false;
        }

        Count++;
        return true;
    }

    public bool Contains(ulong idHash, DateTimeOffset recordTime) =>
        _hours.TryGetValue(HourOf(recordTime), out var ids) && ids.Contains(idHash);

    /// <summary>Forgets the hours that ended before the window began.</summary>
    public void Evict(DateTimeOffset now)
    {
        var oldest = HourOf(now - Window);
        foreach (var hour in _hours.Keys.Where(h => h < oldest).ToList())
        {
            _hours.Remove(hour, out var ids);
            Count -= ids!.Count;
            _recentHourSize = ids.Count;
            ids.Dispose();
            if (hour == _lastHour)
            {
                _lastIds = null;
            }
        }
    }

    private static long HourOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / 3600;
}
