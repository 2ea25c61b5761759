using System.Collections.Concurrent;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Router.Versions;

/// <summary>
/// What one namespace's edit log says about its paths, as a primary: for every path, the last txid of an edit at or
/// below it, and for a path that was deleted or renamed (which changes everything below it), that edit's txid.
/// The last txid "under" a path is then the larger of its subtree's last edit and any such edit of an ancestor.
/// One writer (the follower) and any number of lock-free readers; <see cref="Position"/> is published after each edit.
/// </summary>
internal sealed class PrimaryVersionIndex
{
    private readonly ConcurrentDictionary<string, long> _subtree = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _replaced = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _subtreeLookup;
    private readonly ConcurrentDictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _replacedLookup;
    private long _position;
    private volatile bool _anyReplaced;

    public PrimaryVersionIndex()
    {
        _subtreeLookup = _subtree.GetAlternateLookup<ReadOnlySpan<char>>();
        _replacedLookup = _replaced.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The txid of the last edit applied (every edit up to it is visible to readers).</summary>
    public TxId Position => new(Volatile.Read(ref _position));

    public int PathCount => _subtree.Count;

    public void Apply(EditRecord edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var txid = edit.TxId.Value;
        if (txid <= Volatile.Read(ref _position))
        {
            return; // already applied (a follower that restarted replays from its position)
        }

        var replacesBelow = edit.Op is EditOp.Delete or EditOp.Rename;
        Touch(edit.Path, txid, replacesBelow);
        if (edit.Destination is not null)
        {
            Touch(edit.Destination, txid, replacesBelow: true);
        }

        Volatile.Write(ref _position, txid);
    }

    /// <summary>The primary's last txid touching <paramref name="path"/>: an edit at or below it, or a delete/rename above it.</summary>
    public TxId LastUnder(ReadOnlySpan<char> path)
    {
        _subtreeLookup.TryGetValue(path, out var last);
        if (!_anyReplaced)
        {
            return new TxId(last);
        }

        var probe = path;
        while (probe.Length > 1)
        {
            probe = RouterPath.Parent(probe);
            if (_replacedLookup.TryGetValue(probe, out var replaced) && replaced > last)
            {
                last = replaced;
            }
        }

        return new TxId(last);
    }

    private void Touch(string path, long txid, bool replacesBelow)
    {
        if (!RouterPath.TryNormalize(path, out var normal, out _))
        {
            return;
        }

        if (replacesBelow)
        {
            _replaced[normal] = txid;
            _anyReplaced = true;
        }

        // txids only grow, so each ancestor's value is simply the newest one
        _subtree[normal] = txid;
        var probe = normal.AsSpan();
        while (probe.Length > 1)
        {
            probe = RouterPath.Parent(probe);
            if (_subtreeLookup.TryGetValue(probe, out var existing) && existing >= txid)
            {
                continue;
            }

            _subtreeLookup[probe] = txid;
        }
    }
}
