using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>An edit the log holds that could not be made true on disk: which one, and why.</summary>
public sealed record UnappliedEdit(long TxId, EditOp Op, string Path, string? Destination, string Reason)
{
    public override string ToString() =>
        $"edit {TxId} ({EditLogCodec.OpName(Op)} {Path}{(Destination is null ? string.Empty : " " + Destination)}) is logged but could not be applied: {Reason}";
}
