using System.Collections.Concurrent;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Router.Versions;

/// <summary>
/// What one namespace's edit log says about its paths, as a primary: for every path, the last txid of an edit at or
/// below it, and for a path that was deleted, renamed or exchanged (which changes everything below it), that edit's txid.
/// The last txid "under" a path is then the larger of its subtree's last edit and any such edit of an ancestor.
/// One writer (the follower) and any number of lock-free readers; <see cref="Position"/> is published after each edit.
/// </summary>
internal sealed class PrimaryVersionIndex
{
    private readonly ConcurrentDictionary<string, long> _subtree = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _replaced = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _subtreeLookup;
    private readonly ConcurrentDictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _replacedLookup;
    private EditRecord? _lastApplied;
    private TaskCompletionSource? _advanced;
    private volatile bool _anyReplaced;

    public PrimaryVersionIndex()
    {
        _subtreeLookup = _subtree.GetAlternateLookup<ReadOnlySpan<char>>();
        _replacedLookup = _replaced.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The txid of the last edit applied (every edit up to it is visible to readers).</summary>
    public TxId Position => Volatile.Read(ref _lastApplied)?.TxId ?? TxId.None;

    /// <summary>The last edit applied (null before the first), whose fingerprint a checkpoint carries.</summary>
    public EditRecord? LastApplied => Volatile.Read(ref _lastApplied);

    public int PathCount => _subtree.Count;

    /// <summary>The checkpoint's txid this index was resumed from at start (none: the log was replayed from txid 0).</summary>
    public TxId ResumedFrom { get; private set; }

    /// <summary>Completes once <see cref="Position"/> is at or past <paramref name="txid"/>.</summary>
    public async Task WaitForAsync(TxId txid, CancellationToken cancellationToken)
    {
        while (Position < txid)
        {
            var advanced = Volatile.Read(ref _advanced);
            if (advanced is null)
            {
                var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                advanced = Interlocked.CompareExchange(ref _advanced, created, null) ?? created;
            }

            // the signal is published (a full fence) before the position is read again: an edit applied after this
            // read completes it
            if (Position >= txid)
            {
                return;
            }

            await advanced.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // the position is published with a full fence before a waiter's signal is read
    private void Published(EditRecord edit)
    {
        Interlocked.Exchange(ref _lastApplied, edit);
        if (Volatile.Read(ref _advanced) is not null)
        {
            Interlocked.Exchange(ref _advanced, null)?.TrySetResult();
        }
    }

    public void Apply(EditRecord edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var txid = edit.TxId.Value;
        if (txid < Position.Value)
        {
            return; // already applied (a follower that restarted replays from its position)
        }

        // several edits at one txid all apply: an HDFS concat writes its target and deletes each source in one op
        // (re-applying one is harmless: every value is a maximum)

        // an exchange replaces what is below both of its paths, as a rename does below its destination
        var replacesBelow = edit.Op is EditOp.Delete or EditOp.Rename or EditOp.Exchange;
        Touch(edit.Path, txid, replacesBelow);
        if (edit.Destination is not null)
        {
            Touch(edit.Destination, txid, replacesBelow: true);
        }

        Published(edit);
    }

    /// <summary>
    /// A checkpoint of what is applied, or null before the first edit. Safe while the follower applies edits: the
    /// position is read before the maps are copied, so every edit up to it is in the copy; edits after it that are
    /// already in the copy only raise values, and replaying them from the position gives the same maxima.
    /// </summary>
    public VersionCheckpoint? Capture(string datacenter, DateTimeOffset now)
    {
        var last = LastApplied;
        if (last is null)
        {
            return null;
        }

        return new VersionCheckpoint(
            datacenter,
            last.TxId,
            VersionCheckpoint.FingerprintOf(last),
            _subtree.ToDictionary(StringComparer.Ordinal),
            _replaced.ToDictionary(StringComparer.Ordinal),
            now);
    }

    /// <summary>
    /// Loads a checkpoint into this empty index; <paramref name="lastEdit"/> is the edit at the checkpoint's position,
    /// as read back from the log (its fingerprint must match the checkpoint's).
    /// </summary>
    public void Restore(VersionCheckpoint checkpoint, EditRecord lastEdit)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(lastEdit);
        if (LastApplied is not null || !_subtree.IsEmpty)
        {
            throw new InvalidOperationException("a checkpoint is restored only into an empty version index");
        }

        if (lastEdit.TxId != checkpoint.Position || VersionCheckpoint.FingerprintOf(lastEdit) != checkpoint.Fingerprint)
        {
            throw new ArgumentException($"the edit at txid {lastEdit.TxId} is not the one the checkpoint was taken at ({checkpoint.Position})", nameof(lastEdit));
        }

        foreach (var (path, txid) in checkpoint.Subtree)
        {
            _subtree[path] = txid;
        }

        foreach (var (path, txid) in checkpoint.Replaced)
        {
            _replaced[path] = txid;
        }

        _anyReplaced = !_replaced.IsEmpty;
        ResumedFrom = checkpoint.Position;
        Published(lastEdit);
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
