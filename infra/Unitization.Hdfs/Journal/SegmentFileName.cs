using System.Globalization;
using System.Text.RegularExpressions;

namespace Unitization.Hdfs.Journal;

/// <summary>
/// The names NameNodes and JournalNodes give segment files in their <c>current/</c> directories (Hadoop's
/// <c>NNStorage</c>): <c>edits_%019d-%019d</c> (finalized, first and last txid) and <c>edits_inprogress_%019d</c>.
/// </summary>
internal static partial class SegmentFileName
{
    public static string Finalized(long first, long last) =>
        string.Create(CultureInfo.InvariantCulture, $"edits_{first:D19}-{last:D19}");

    public static string InProgress(long first) => string.Create(CultureInfo.InvariantCulture, $"edits_inprogress_{first:D19}");

    /// <summary>Parses a segment file name: first txid, last txid (null in progress); false for any other file.</summary>
    public static bool TryParse(string name, out long first, out long? last)
    {
        first = 0;
        last = null;
        var match = Pattern().Match(name);
        if (!match.Success)
        {
            return false;
        }

        first = long.Parse(match.Groups["first"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["last"].Success)
        {
            last = long.Parse(match.Groups["last"].Value, CultureInfo.InvariantCulture);
        }

        return true;
    }

    [GeneratedRegex(@"^edits_(?:inprogress_(?<first>\d{19})|(?<first>\d{19})-(?<last>\d{19}))$")]
    private static partial Regex Pattern();
}
