using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// What the edit log says, kept in memory: the last txid a reader may see, each path's txid and logged checksum
/// (<see cref="PathVersions"/>), and a signal for followers waiting on the next edit. Thread-safe.
/// </summary>
internal sealed class NamespaceState
{
    private readonly Lock _gate = new();
    private readonly PathVersions _versions = new();
    private readonly Dictionary<long, string> _notes = [];
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastTxId;

    public long LastTxId => Volatile.Read(ref _lastTxId);

    /// <summary>Completes at the next <see cref="Signal"/>; take it before looking, then wait on it.</summary>
    public Task Appended => Volatile.Read(ref _appended).Task;

    /// <summary>Replays a logged edit (opening, or picking up another writer's edits) without moving <see cref="LastTxId"/>.</summary>
    public void Replay(EditRecord edit)
    {
        lock (_gate)
        {
            _versions.Apply(edit);
        }
    }

    /// <summary>Replays a logged edit, keeping its note (see <see cref="LoggedEdit.Note"/>).</summary>
    public void Replay(LoggedEdit logged)
    {
        lock (_gate)
        {
            _versions.Apply(logged.Edit);
            if (logged.Note is not null)
            {
                _notes[logged.Edit.TxId.Value] = logged.Note;
            }
        }
    }

    /// <summary>The note of an edit <c>fs recover</c> wrote in place of a corrupt frame; null for every other edit.</summary>
    public string? NoteOf(TxId txId)
    {
        lock (_gate)
        {
            return _notes.GetValueOrDefault(txId.Value);
        }
    }

    /// <summary>An edit this instance logged and applied: readers may see it from now on.</summary>
    public void Publish(EditRecord edit)
    {
        Replay(edit);
        Volatile.Write(ref _lastTxId, edit.TxId.Value);
        Signal();
    }

    /// <summary>Sets the last txid after replaying a log.</summary>
    public void CaughtUp(long lastTxId) => Volatile.Write(ref _lastTxId, lastTxId);

    /// <summary>Runs <paramref name="refresh"/> (which replays what it finds) under the state's lock, then takes its last txid.</summary>
    public void Refresh(Func<long> refresh)
    {
        lock (_gate)
        {
            Volatile.Write(ref _lastTxId, refresh());
        }
    }

    public TxId VersionOf(string normalized)
    {
        lock (_gate)
        {
            return _versions.Get(normalized);
        }
    }

    public (string Checksum, TxId TxId)? LoggedChecksumOf(string normalized)
    {
        lock (_gate)
        {
            return _versions.GetChecksum(normalized);
        }
    }

    /// <summary>How many bytes the longest path below <paramref name="normalized"/> adds to it (what a rename or exchange moves along).</summary>
    public int DeepestSuffixBytes(string normalized)
    {
        lock (_gate)
        {
            return _versions.DeepestSuffixBytes(normalized);
        }
    }

    public void Signal() =>
        Interlocked.Exchange(ref _appended, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
