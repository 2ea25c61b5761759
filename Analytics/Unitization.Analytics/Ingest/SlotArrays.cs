using System.Buffers;
using System.Numerics;

namespace Unitization.Analytics.Ingest;

/// <summary>
/// The slot arrays one <see cref="DedupeFilter"/> keeps for reuse. An hour leaving the window (or a reload's clear)
/// hands its slots to the hours that come after it, so a filter running for days fills resident memory instead of
/// fresh pages: a fresh array of millions of slots costs a page fault per 4 KiB on first touch, which on a virtual
/// machine is most of what an hour's set costs (measured with perf: clearing and faulting in new slot arrays took
/// about a quarter of the ingest's CPU). <see cref="ArrayPool{T}.Shared"/> is no substitute: it trims arrays unused
/// for a minute, and an hour's slots wait an hour. At most <see cref="MaxFree"/> arrays wait here, the largest kept.
/// Lengths are powers of two. Not thread-safe: a filter is used by one thread at a time.
/// </summary>
internal sealed class SlotArrays
{
    /// <summary>Arrays kept at most: the hours a busy filter swaps in an hour, with the steps of a growth or two.</summary>
    public const int MaxFree = 8;

    // by length, shortest first
    private readonly List<ulong[]> _free = [];

    public int FreeCount => _free.Count;

    public long FreeBytes => _free.Sum(a => (long)a.Length * sizeof(ulong));

    /// <summary>An empty array of at least <paramref name="minLength"/> slots: the shortest kept one that is long enough, else a new one.</summary>
    public ulong[] Rent(int minLength)
    {
        var length = Length(minLength);
        var at = _free.FindIndex(a => a.Length >= length);
        return at < 0 ? new ulong[length] : Take(at);
    }

    /// <summary>
    /// An empty array for a set expected to reach <paramref name="expectedLength"/> slots: one kept that is long enough,
    /// else the longest kept (the set grows from it if it must), else a new one. Reuse wins over size here because an
    /// expectation is a guess, while a fresh array costs its page faults for certain.
    /// </summary>
    public ulong[] RentAbout(int expectedLength)
    {
        var length = Length(expectedLength);
        var at = _free.FindIndex(a => a.Length >= length);
        return at >= 0 ? Take(at) : _free.Count > 0 ? Take(_free.Count - 1) : new ulong[length];
    }

    /// <summary>Keeps <paramref name="slots"/> for reuse (the caller lets go of it); the shortest kept is dropped when more than <see cref="MaxFree"/> wait.</summary>
    public void Return(ulong[] slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        if (slots.Length == 0 || !BitOperations.IsPow2(slots.Length))
        {
            return;
        }

        var at = _free.FindIndex(a => a.Length >= slots.Length);
        _free.Insert(at < 0 ? _free.Count : at, slots);
        if (_free.Count > MaxFree)
        {
            _free.RemoveAt(0);
        }
    }

    /// <summary>Lets every kept array go (to the garbage collector).</summary>
    public void Release() => _free.Clear();

    private ulong[] Take(int at)
    {
        var slots = _free[at];
        _free.RemoveAt(at);
        // resident memory: clearing it runs at memory speed, unlike first touches of fresh pages
        Array.Clear(slots);
        return slots;
    }

    private static int Length(int minLength) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, minLength));
}
