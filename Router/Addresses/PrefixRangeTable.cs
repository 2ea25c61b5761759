using System.Numerics;

namespace Unitization.Router.Addresses;

/// <summary>
/// Longest-prefix match over nested networks, flattened once into disjoint sorted intervals so that a lookup is one
/// binary search over a plain array (no allocation, no pointer chasing). The search is narrowed first by the address's
/// top 16 bits (a 64k-entry table of where each /16 block's intervals start), so it touches a few cache lines instead
/// of one per halving. <typeparamref name="T"/> is <see cref="uint"/> for IPv4 and <see cref="UInt128"/> for IPv6.
/// </summary>
internal sealed class PrefixRangeTable<T>
    where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
{
    private readonly T[] _starts;
    private readonly T[] _ends;
    private readonly int[] _values;

    /// <summary>For each value of an address's top 16 bits: the last interval starting at or before that block (or -1).</summary>
    private readonly int[] _blockFloor;
    private readonly int _shift;

    private PrefixRangeTable(T[] starts, T[] ends, int[] values)
    {
        _starts = starts;
        _ends = ends;
        _values = values;
        _shift = T.Zero.GetByteCount() * 8 - 16;
        _blockFloor = new int[(1 << 16) + 1];
        var interval = -1;
        for (var block = 0; block < 1 << 16; block++)
        {
            var blockStart = T.CreateTruncating(block) << _shift;
            while (interval + 1 < starts.Length && starts[interval + 1] <= blockStart)
            {
                interval++;
            }

            _blockFloor[block] = interval;
        }

        _blockFloor[1 << 16] = starts.Length - 1;
    }

    public int IntervalCount => _starts.Length;

    /// <summary>
    /// Builds the table. Networks either nest or are disjoint (that is what CIDR blocks do); the most specific one that
    /// holds an address wins. <paramref name="networks"/> must not hold the same network twice.
    /// </summary>
    public static PrefixRangeTable<T> Build(IEnumerable<(T First, T Last, int PrefixLength, int Value)> networks)
    {
        var sorted = networks.ToArray();
        Array.Sort(sorted, static (a, b) =>
        {
            var c = a.First.CompareTo(b.First);
            return c != 0 ? c : a.PrefixLength.CompareTo(b.PrefixLength);
        });

        var starts = new List<T>(sorted.Length);
        var ends = new List<T>(sorted.Length);
        var values = new List<int>(sorted.Length);
        var open = new Stack<(T First, T Last, int PrefixLength, int Value)>();
        var cursor = T.Zero;
        var exhausted = false; // the cursor passed the last address

        void Emit(T first, T last, int value)
        {
            if (values.Count > 0 && values[^1] == value && ends[^1] + T.One == first)
            {
                ends[^1] = last; // merge with an adjacent interval of the same value
                return;
            }

            starts.Add(first);
            ends.Add(last);
            values.Add(value);
        }

        void Close((T First, T Last, int PrefixLength, int Value) network)
        {
            if (!exhausted && cursor <= network.Last)
            {
                Emit(T.Max(cursor, network.First), network.Last, network.Value);
            }

            if (network.Last == T.MaxValue)
            {
                exhausted = true;
            }
            else
            {
                cursor = T.Max(cursor, network.Last + T.One);
            }
        }

        foreach (var network in sorted)
        {
            while (open.Count > 0 && open.Peek().Last < network.First)
            {
                Close(open.Pop());
            }

            if (open.Count > 0)
            {
                var parent = open.Peek();
                if (network.Last > parent.Last)
                {
                    throw new ArgumentException($"networks overlap without nesting at {network.First}", nameof(networks));
                }

                if (cursor < network.First)
                {
                    Emit(cursor, network.First - T.One, parent.Value);
                }
            }

            cursor = network.First;
            exhausted = false;
            open.Push(network);
        }

        while (open.Count > 0)
        {
            Close(open.Pop());
        }

        return new PrefixRangeTable<T>([.. starts], [.. ends], [.. values]);
    }

    /// <summary>The value of the most specific network holding <paramref name="address"/>, or -1.</summary>
    public int Find(T address)
    {
        // the answer is the last interval starting at or before the address: at least this block's floor, at most the
        // last one starting before the next block
        var block = int.CreateTruncating(address >> _shift);
        var starts = _starts;
        int found = _blockFloor[block], lo = found + 1, hi = _blockFloor[block + 1];
        while (lo <= hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (starts[mid] <= address)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 && address <= _ends[found] ? _values[found] : -1;
    }
}
