namespace Unitization.Namespaces.Edits;

/// <summary>
/// One entry of a namespace's edit log. <see cref="Path"/> is the normalized path the edit touched
/// (for a rename, the source); <see cref="Destination"/> is a rename's target, or the other side of an exchange.
/// <see cref="Size"/> and <see cref="Checksum"/> describe a created file.
/// </summary>
public sealed record EditRecord(
    TxId TxId,
    EditOp Op,
    string Path,
    string? Destination,
    long Size,
    string? Checksum,
    DateTimeOffset Timestamp);
