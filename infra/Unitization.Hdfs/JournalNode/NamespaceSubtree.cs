using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Hdfs.JournalNode;

/// <summary>
/// The part of a local namespace that stands in for an HDFS root (a gateway mount such as <c>"/" -&gt; "dcB:/hdfs"</c>):
/// its edits with their paths relative to <see cref="Root"/>, as the NameNode would log them. An edit outside the
/// subtree is left out; a rename across its border is a create (moved in) or a delete (moved out).
/// </summary>
internal sealed class NamespaceSubtree(string root)
{
    public string Root { get; } = NamespacePath.Normalize(root);

    /// <summary>The edit as HDFS logs it under the subtree, or null when it changes nothing there.</summary>
    public EditRecord? Map(EditRecord edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var path = Inside(edit.Path);
        var destination = edit.Destination is null ? null : Inside(edit.Destination);
        return (edit.Op, path, destination) switch
        {
            (EditOp.Rename or EditOp.Exchange, not null, not null) => edit with { Path = path, Destination = destination },
            (EditOp.Rename or EditOp.Exchange, not null, null) => edit with { Op = EditOp.Delete, Path = path, Destination = null },
            (EditOp.Rename or EditOp.Exchange, null, not null) => edit with { Op = EditOp.Create, Path = destination, Destination = null },
            (_, not null, _) when edit.Destination is null => edit with { Path = path },
            _ => null,
        };
    }

    private string? Inside(string path)
    {
        if (Root == "/")
        {
            return path;
        }

        return path == Root ? "/" : path.StartsWith(Root + "/", StringComparison.Ordinal) ? path[Root.Length..] : null;
    }
}
