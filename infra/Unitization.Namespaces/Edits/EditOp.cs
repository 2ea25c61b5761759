namespace Unitization.Namespaces.Edits;

/// <summary>The kinds of mutation an edit log records.</summary>
public enum EditOp
{
    Mkdirs,
    Create,
    Rename,
    Delete,
    SetTimes,
}
