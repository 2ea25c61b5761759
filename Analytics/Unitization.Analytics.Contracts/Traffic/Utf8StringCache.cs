using System.IO.Hashing;
using System.Text;

namespace Unitization.Analytics.Traffic;

/// <summary>
/// Returns the same string for the same short UTF-8 text: the job, datacenter, operation and component of traffic
/// records repeat across millions of records, so the ingest keeps one string each instead of allocating one per
/// record. Direct-mapped (a slot per hash, the newest text wins), bounded, one instance per thread.
/// </summary>
internal sealed class Utf8StringCache
{
    public const int MaxLength = 96;
    private const int Slots = 4096;
    private readonly byte[]?[] _keys = new byte[Slots][];
    private readonly string?[] _values = new string[Slots];

    [ThreadStatic]
    private static Utf8StringCache? _current;

    public static Utf8StringCache Current => _current ??= new Utf8StringCache();

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var slot = (int)(XxHash3.HashToUInt64(utf8) & (Slots - 1));
        if (_keys[slot] is { } key && utf8.SequenceEqual(key))
        {
            return _values[slot]!;
        }

        var text = Encoding.UTF8.GetString(utf8);
        _keys[slot] = utf8.ToArray();
        _values[slot] = text;
        return text;
    }
}
