namespace Unitization.Namespaces.Edits;

/// <summary>The kinds of mutation an edit log records.</summary>
public enum EditOp
{
    Mkdirs,
    Create,
    Rename,
    Delete,
    SetTimes,

    /// <summary>
    /// Two existing paths swapped in one step (<see cref="EditRecord.Path"/> and <see cref="EditRecord.Destination"/>):
    /// each now holds what the other held, so both subtrees changed at this txid.
    /// </summary>
    Exchange,
}
