using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// What <c>fs recover</c> knows of a corrupt edit log: the corruption, the edits that still decode after it (until the
/// end of the file or the next bad frame, <see cref="UnreadableBytesAfter"/> bytes on), and whether skipping the bad
/// frame can keep them (their txids must follow on from the ones before it).
/// </summary>
internal sealed record CorruptionReport(EditLogCorruptException Corruption, IReadOnlyList<EditRecord> EditsAfter, long UnreadableBytesAfter)
{
    /// <summary>How many placeholder edits skipping the bad bytes takes (the txids they held); null when skipping cannot keep the txids in order.</summary>
    public long? PlaceholdersToSkip
    {
        get
        {
            if (Corruption.NextFrameOffset is null || EditsAfter.Count == 0)
            {
                return null;
            }

            var missing = EditsAfter[0].TxId.Value - Corruption.ExpectedTxId;
            return missing >= 0 ? missing : null;
        }
    }
}
