using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Router.Versions;

/// <summary>
/// What the version service knows of one namespace's edit log up to <see cref="Position"/>: every path's last txid at
/// or below it (<see cref="Subtree"/>) and the deletes/renames that replaced a subtree (<see cref="Replaced"/>).
/// <see cref="Fingerprint"/> identifies the edit at <see cref="Position"/>, so a checkpoint is resumed only on the
/// edit log it was taken from (a namespace recreated with a new log replays from the start instead).
/// </summary>
internal sealed record VersionCheckpoint(
    string Datacenter,
    TxId Position,
    string Fingerprint,
    IReadOnlyDictionary<string, long> Subtree,
    IReadOnlyDictionary<string, long> Replaced,
    DateTimeOffset SavedAt)
{
    /// <summary>The identity of an edit as its log holds it: op, paths, time and checksum.</summary>
    public static string FingerprintOf(EditRecord edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{edit.TxId.Value}|{edit.Op}|{edit.Path}|{edit.Destination}|{edit.Size}|{edit.Checksum}|{edit.Timestamp.ToUnixTimeMilliseconds()}");
    }
}
