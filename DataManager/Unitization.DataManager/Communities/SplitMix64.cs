namespace Unitization.DataManager.Communities;

/// <summary>
/// A small deterministic random generator (Steele, Lea, Flood: SplitMix64). Every stream is a pure function of its
/// seed, so parallel work seeded per community gives the same result on any number of cores.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public static SplitMix64 For(long seed, long stream, long substream) =>
        new(Mix(Mix(Mix((ulong)seed) ^ (ulong)stream) ^ (ulong)substream));

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A uniform integer in <c>[0, bound)</c>.</summary>
    public int Next(int bound) => (int)((Next() >> 32) * (ulong)bound >> 32);

    /// <summary>A uniform double in <c>[0, 1)</c>.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    public void Shuffle(Span<int> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
