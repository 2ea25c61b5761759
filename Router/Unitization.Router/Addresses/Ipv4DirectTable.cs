namespace Unitization.Router.Addresses;

/// <summary>
/// IPv4 longest-prefix match in one or two array reads (the DIR-24-8 layout of software routers): one entry per /24
/// holds the answer for the whole /24, or, when networks longer than /24 split it, the number of a 256-entry block
/// with one entry per address. Built once from the flattened intervals of a <see cref="PrefixRangeTable{T}"/>;
/// 32 MiB for the first level, 512 bytes per split /24. Values are small non-negative ints (datacenter indexes).
/// </summary>
internal sealed class Ipv4DirectTable
{
    private const ushort None = 0;
    private const ushort Split = 0x8000; // the entry is a block number (low 15 bits), not a value

    private readonly ushort[] _slash24 = new ushort[1 << 24];
    private readonly ushort[] _blocks;

    /// <summary>The most values (exclusive) an entry can hold; more datacenters than this use the interval search.</summary>
    public const int MaxValues = Split - 1;

    /// <param name="intervals">Disjoint, sorted (first, last, value) intervals.</param>
    public Ipv4DirectTable(IReadOnlyList<(uint First, uint Last, int Value)> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        var blocks = new List<ushort>();
        foreach (var (first, last, value) in intervals)
        {
            if (value < 0 || value >= MaxValues)
            {
                throw new ArgumentOutOfRangeException(nameof(intervals), $"value {value} does not fit an entry");
            }

            var entry = (ushort)(value + 1);
            var address = (ulong)first;
            while (address <= last)
            {
                var slash24 = (int)(address >> 8);
                var blockEnd = ((ulong)slash24 << 8) + 255;
                if ((address & 0xFF) == 0 && blockEnd <= last)
                {
                    // whole /24s: one entry each (a run of them at once)
                    var lastWhole = (int)((last + 1UL) >> 8) - 1;
                    _slash24.AsSpan(slash24, lastWhole - slash24 + 1).Fill(entry);
                    address = ((ulong)lastWhole + 1) << 8;
                    continue;
                }

                // part of a /24: split it into a block of 256 entries (keeping what the /24 already said)
                var current = _slash24[slash24];
                int block;
                if ((current & Split) != 0)
                {
                    block = current & ~Split;
                }
                else
                {
                    block = blocks.Count / 256;
                    if (block >= Split)
                    {
                        throw new ArgumentException("too many /24s are split by longer networks", nameof(intervals));
                    }

                    for (var i = 0; i < 256; i++)
                    {
                        blocks.Add(current);
                    }

                    _slash24[slash24] = (ushort)(Split | block);
                }

                var end = Math.Min(blockEnd, last);
                for (var a = address; a <= end; a++)
                {
                    blocks[(block * 256) + (int)(a & 0xFF)] = entry;
                }

                address = end + 1;
            }
        }

        _blocks = [.. blocks];
    }

    /// <summary>The value of the most specific network holding <paramref name="address"/>, or -1.</summary>
    public int Find(uint address)
    {
        var entry = _slash24[address >> 8];
        if ((entry & Split) != 0)
        {
            entry = _blocks[((entry & ~Split) << 8) | (int)(address & 0xFF)];
        }

        return entry - 1; // None (0) → -1
    }
}
