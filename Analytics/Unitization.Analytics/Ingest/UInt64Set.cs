using System.Numerics;
using System.Runtime.CompilerServices;

namespace Unitization.Analytics.Ingest;

/// <summary>
/// A set of 64-bit hashes by open addressing with linear probing, at most half full: one array of slots, so adding an id
/// costs one cache miss where <see cref="HashSet{T}"/> pays two (its buckets and its entries). The ids are record id
/// hashes (<see cref="RecordIdHash"/>, already well mixed), so their low bits pick the slot directly. Zero marks an
/// empty slot; the id zero is kept in a flag of its own. With <see cref="SlotArrays"/> the slot arrays come from there
/// and go back there on <see cref="Dispose"/> (and the old one on each growth): an hour's set reaches millions of
/// slots, and a fresh array of that size costs more in page faults than the rehash into it. Without, they are plain
/// arrays. The set uses the whole array it gets, so one longer than asked for leaves it room to grow into.
/// </summary>
internal sealed class UInt64Set : IDisposable
{
    private readonly SlotArrays? _arrays;
    private ulong[] _slots;
    private int _mask;
    private bool _hasZero;

    /// <summary>A set for about <paramref name="capacity"/> ids before it first grows, its slots from <paramref name="arrays"/> when given.</summary>
    public UInt64Set(int capacity = 1024, SlotArrays? arrays = null)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity * 2));
        _arrays = arrays;
        _slots = arrays?.RentAbout(size) ?? new ulong[size];
        _mask = _slots.Length - 1;
    }

    public int Count { get; private set; }

    /// <summary>Adds an id; false when it was there already.</summary>
    public bool Add(ulong id)
    {
        if (id == 0)
        {
            if (_hasZero)
            {
                return false;
            }

            _hasZero = true;
            Count++;
            return true;
        }

        if ((Count + 1) * 2 > _mask + 1)
        {
            Grow();
        }

        var slot = SlotOf(id);
        if (_slots[slot] == id)
        {
            return false;
        }

        _slots[slot] = id;
        Count++;
        return true;
    }

    public bool Contains(ulong id) => id == 0 ? _hasZero : _slots[SlotOf(id)] == id;

    /// <summary>The slot holding <paramref name="id"/> (not zero), or the empty slot where it would go.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(ulong id)
    {
        var (slots, mask) = (_slots, _mask);
        var i = (int)id & mask;
        while (slots[i] is var at && at != 0 && at != id)
        {
            i = (i + 1) & mask;
        }

        return i;
    }

    // called a few times in a set's life, so tiered compilation would run it unoptimized over a million slots
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Grow()
    {
        var (old, oldSize) = (_slots, _mask + 1);
        _slots = _arrays?.Rent(oldSize * 2) ?? new ulong[oldSize * 2];
        _mask = _slots.Length - 1;
        foreach (var id in old.AsSpan(0, oldSize))
        {
            if (id != 0)
            {
                _slots[SlotOf(id)] = id;
            }
        }

        _arrays?.Return(old);
    }

    /// <summary>Gives the slots back to the <see cref="SlotArrays"/> it came with; the set must not be used afterwards.</summary>
    public void Dispose()
    {
        var slots = _slots;
        (_slots, _mask, Count, _hasZero) = ([], 0, 0, false);
        if (slots.Length > 0)
        {
            _arrays?.Return(slots);
        }
    }
}
