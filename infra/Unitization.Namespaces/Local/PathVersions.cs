using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// The last txid touching each path: an edit of a path also touches every ancestor, so a directory's txid covers
/// everything under it (what the router compares a replica's version against). A rename moves the subtree's entries;
/// an exchange swaps the two subtrees' entries (every one of them, and both paths, take its txid); a delete drops them. Rebuilt by replaying the log on open. Not thread-safe: the namespace guards it.
/// </summary>
internal sealed class PathVersions
{
    private readonly Dictionary<string, long> _txids = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _paths = new(StringComparer.Ordinal);

    public TxId Get(string path) => _txids.TryGetValue(path, out var tx) ? new TxId(tx) : TxId.None;

    public void Apply(EditRecord edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var tx = edit.TxId.Value;
        switch (edit.Op)
        {
            case EditOp.Rename:
                var moved = Subtree(edit.Path).ToList();
                foreach (var path in moved)
                {
                    Remove(path);
                    Set(edit.Destination + path[edit.Path.Length..], tx);
                }

                Set(edit.Destination!, tx);
                Touch(edit.Path, tx, includeSelf: false);
                Touch(edit.Destination!, tx, includeSelf: false);
                break;
            case EditOp.Exchange:
                var first = Subtree(edit.Path).ToList();
                var second = Subtree(edit.Destination!).ToList();
                first.ForEach(Remove);
                second.ForEach(Remove);
                first.ForEach(path => Set(edit.Destination + path[edit.Path.Length..], tx));
                second.ForEach(path => Set(edit.Path + path[edit.Destination!.Length..], tx));
                Touch(edit.Path, tx, includeSelf: true);
                Touch(edit.Destination!, tx, includeSelf: true);
                break;
            case EditOp.Delete:
                foreach (var path in Subtree(edit.Path).ToList())
                {
                    Remove(path);
                }

                Touch(edit.Path, tx, includeSelf: false);
                break;
            default:
                Touch(edit.Path, tx, includeSelf: true);
                break;
        }
    }

    private IEnumerable<string> Subtree(string path)
    {
        if (_txids.ContainsKey(path))
        {
            yield return path;
        }

        // every key under "path/" sorts between "path/" and "path0" ('0' follows '/')
        var prefix = path == NamespacePath.Root ? "/" : path + "/";
        var upper = prefix[..^1] + "0";
        if (_paths.Count == 0 || string.CompareOrdinal(prefix, upper) > 0)
        {
            yield break;
        }

        foreach (var p in _paths.GetViewBetween(prefix, upper))
        {
            if (p.StartsWith(prefix, StringComparison.Ordinal) && p != path)
            {
                yield return p;
            }
        }
    }

    private void Touch(string path, long tx, bool includeSelf)
    {
        if (includeSelf)
        {
            Set(path, tx);
        }

        foreach (var ancestor in NamespacePath.Ancestors(path))
        {
            Set(ancestor, tx);
        }
    }

    private void Set(string path, long tx)
    {
        if (_txids.TryAdd(path, tx))
        {
            _paths.Add(path);
        }
        else
        {
            _txids[path] = Math.Max(_txids[path], tx);
        }
    }

    private void Remove(string path)
    {
        _txids.Remove(path);
        _paths.Remove(path);
    }
}
