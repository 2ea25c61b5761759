using System.Text;

namespace Unitization.Analytics.Tests.Traffic;

/// <summary>
/// Traffic lines as producers write them, and seeded random edits of them (bytes replaced, inserted, removed, drawn
/// from JSON punctuation, digits, letters, a two-byte character and a control byte): the inputs on which two readers
/// must agree.
/// </summary>
internal static class MutatedTrafficLines
{
    public static readonly string[] Lines =
    [
        """{"id":"router-7f3a-42","job":"etl.orders_daily","sourceDatacenter":"dcB","destinationDatacenter":"dcA","bytes":104857600,"operation":"read","component":"router","time":"2026-01-02T03:04:05Z"}""",
        """{"id":"r-9","job":"j","sourceDatacenter":"dcB","destinationDatacenter":"dcA","bytes":7,"operation":"read","component":"client","time":"2026-11-23T08:20:01.1234567+00:00"}""",
    ];

    private static readonly byte[] Alphabet = "\"{}:,\\ \t0123456789-+.eEnulabcdefxyz\u00e9\u0001/[]"u8.ToArray();

    /// <summary><paramref name="count"/> lines, each one of <paramref name="lines"/> with <paramref name="minEdits"/> to <paramref name="maxEdits"/> edits.</summary>
    public static IEnumerable<byte[]> Generate(IReadOnlyList<string> lines, int seed, int count, int minEdits, int maxEdits)
    {
        var random = new Random(seed);
        for (var n = 0; n < count; n++)
        {
            var bytes = Encoding.UTF8.GetBytes(lines[n % lines.Count]).ToList();
            for (var edits = random.Next(minEdits, maxEdits + 1); edits > 0; edits--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(3))
                {
                    case 0: bytes[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                    case 1: bytes.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                    default: bytes.RemoveAt(at); break;
                }
            }

            yield return bytes.ToArray();
        }
    }
}
