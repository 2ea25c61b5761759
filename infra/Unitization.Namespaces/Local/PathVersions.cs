using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// The last txid touching each path: an edit of a path also touches every ancestor, so a directory's txid covers
/// everything under it (what the router compares a replica's version against). A rename moves the subtree's entries;
/// an exchange swaps the two subtrees' entries (every one of them, and both paths, take its txid); a delete drops them.
/// Each file also keeps the checksum its last Create logged (moved with it by a rename or an exchange), which is the
/// checksum of its bytes as long as no later edit touched it. Rebuilt by replaying the log on open. Not thread-safe:
/// the namespace guards it.
/// </summary>
internal sealed class PathVersions
{
    private readonly Dictionary<string, (long TxId, string? Checksum)> _txids = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _paths = new(StringComparer.Ordinal);

    public TxId Get(string path) => _txids.TryGetValue(path, out var entry) ? new TxId(entry.TxId) : TxId.None;

    /// <summary>The checksum the last Create of <paramref name="path"/> logged, and the path's txid; null for a directory or an unknown path.</summary>
    public (string Checksum, TxId TxId)? GetChecksum(string path) =>
        _txids.TryGetValue(path, out var entry) && entry.Checksum is { } checksum ? (checksum, new TxId(entry.TxId)) : null;

    /// <summary>How many UTF-8 bytes the longest known path below <paramref name="path"/> adds to it (0 when none is below).</summary>
    public int DeepestSuffixBytes(string path)
    {
        var own = System.Text.Encoding.UTF8.GetByteCount(path);
        return Subtree(path).Select(p => System.Text.Encoding.UTF8.GetByteCount(p) - own).DefaultIfEmpty(0).Max();
    }

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
                    var checksum = _txids[path].Checksum;
                    Remove(path);
                    Set(edit.Destination + path[edit.Path.Length..], tx, checksum, replaceChecksum: true);
                }

                Set(edit.Destination!, tx);
                Touch(edit.Path, tx, includeSelf: false);
                Touch(edit.Destination!, tx, includeSelf: false);
                break;
            case EditOp.Exchange:
                var first = Subtree(edit.Path).Select(path => (Path: path, _txids[path].Checksum)).ToList();
                var second = Subtree(edit.Destination!).Select(path => (Path: path, _txids[path].Checksum)).ToList();
                first.ForEach(entry => Remove(entry.Path));
                second.ForEach(entry => Remove(entry.Path));
                first.ForEach(entry => Set(edit.Destination + entry.Path[edit.Path.Length..], tx, entry.Checksum, replaceChecksum: true));
                second.ForEach(entry => Set(edit.Path + entry.Path[edit.Destination!.Length..], tx, entry.Checksum, replaceChecksum: true));
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
            case EditOp.Create:
                Set(edit.Path, tx, edit.Checksum, replaceChecksum: true);
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

    /// <summary>Raises the path's txid; its checksum is kept unless <paramref name="replaceChecksum"/> (a Create) or the path is new.</summary>
    private void Set(string path, long tx, string? checksum = null, bool replaceChecksum = false)
    {
        if (_txids.TryGetValue(path, out var entry))
        {
            _txids[path] = (Math.Max(entry.TxId, tx), replaceChecksum ? checksum : entry.Checksum);
        }
        else
        {
            _txids.Add(path, (tx, checksum));
            _paths.Add(path);
        }
    }

    private void Remove(string path)
    {
        _txids.Remove(path);
        _paths.Remove(path);
    }
}
