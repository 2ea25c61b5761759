namespace Unitization.Analytics.Ingest;

/// <summary>
/// The 64-bit dedupe hash of a record id (FNV-1a over the UTF-16 code units, then the SplitMix64 finalizer), stored in
/// ClickHouse as <c>id_hash</c> so the ingest can reload what it has seen. Two distinct ids collide with probability
/// about n²/2⁶⁵ (10⁻⁶ at ten million ids in the window).
/// </summary>
internal static class RecordIdHash
{
    private const ulong Basis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Of(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var hash = Basis;
        foreach (var c in id)
        {
            hash = (hash ^ c) * Prime;
        }

        return Finish(hash);
    }

    /// <summary>The same hash for an id given as ASCII bytes (each byte is its UTF-16 code unit), as the ingest reads it.</summary>
    public static ulong OfAscii(ReadOnlySpan<byte> id)
    {
        var hash = Basis;
        foreach (var b in id)
        {
            hash = (hash ^ b) * Prime;
        }

        return Finish(hash);
    }

    private static ulong Finish(ulong hash)
    {
        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return hash;
    }
}
