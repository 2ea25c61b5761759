using System.Numerics;

namespace Unitization.Router.Addresses;

/// <summary>
/// Longest-prefix match over nested networks, flattened once into disjoint sorted intervals so that a lookup is one
/// binary search over a plain array of (start, end, value) structs (no allocation, no pointer chasing; the last steps of
/// the search and the answer share cache lines). <typeparamref name="T"/> is <see cref="uint"/> for IPv4 and
/// <see cref="UInt128"/> for IPv6.
/// </summary>
internal sealed class PrefixRangeTable<T>
    where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
{
    private readonly Interval[] _intervals;

    private PrefixRangeTable(Interval[] intervals) => _intervals = intervals;

    public int IntervalCount => _intervals.Length;

    /// <summary>The disjoint intervals, in order, with the value of the most specific network over each.</summary>
    public IReadOnlyList<(T First, T Last, int Value)> Intervals => [.. _intervals.Select(i => (i.Start, i.End, i.Value))];

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

        var intervals = new Interval[starts.Count];
        for (var i = 0; i < intervals.Length; i++)
        {
            intervals[i] = new Interval(starts[i], ends[i], values[i]);
        }

        return new PrefixRangeTable<T>(intervals);
    }

    /// <summary>The value of the most specific network holding <paramref name="address"/>, or -1.</summary>
    public int Find(T address)
    {
        var intervals = _intervals;
        int lo = 0, hi = intervals.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (intervals[mid].Start <= address)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 && address <= intervals[found].End ? intervals[found].Value : -1;
    }

    private readonly record struct Interval(T Start, T End, int Value);
}
