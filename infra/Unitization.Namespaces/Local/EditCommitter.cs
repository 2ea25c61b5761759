using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// Commits a namespace's mutations one at a time (txids strictly increasing, gap-free): validate against the files as
/// they are, log (write-ahead, fsynced), then apply and publish. Creates that arrive while the log is being fsynced share
/// the next fsync (group commit); every other mutation is logged on its own.
/// </summary>
/// <param name="log">The edit log appended to.</param>
/// <param name="time">The time each edit is stamped with.</param>
/// <param name="checkWritable">Throws when the namespace takes no writes (disposed, or an edit is logged and not applied).</param>
/// <param name="applyAndPublish">Applies a logged edit and makes it visible; throws when the apply fails.</param>
internal sealed class EditCommitter(EditLog log, TimeProvider time, Action checkWritable, Action<LoggedEdit> applyAndPublish) : IDisposable
{
    /// <summary>Bytes a Create frame takes besides its path (txid, op, size, checksum, time, stage name: under 300), rounded up.</summary>
    private const int CreateFrameOverhead = 512;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _queueGate = new();
    private readonly List<QueuedCreate> _queuedCreates = [];

    /// <summary>How many Creates are waiting for group commit.</summary>
    public int QueuedCreates
    {
        get
        {
            lock (_queueGate)
            {
                return _queuedCreates.Count;
            }
        }
    }

    /// <summary>Validates (<paramref name="prepare"/> gets the next txid and the time; null: nothing to do) and logs one edit, then applies it.</summary>
    public async Task<EditRecord?> MutateAsync(Func<long, DateTimeOffset, LoggedEdit?> prepare, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            checkWritable();
            var logged = prepare(log.LastTxId + 1, time.GetUtcNow());
            if (logged is null)
            {
                return null;
            }

            log.Append(logged);
            applyAndPublish(logged);
            return logged.Edit;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Logs edits that record what is already on disk (recovery), one append each, without the writability check that
    /// refuses ordinary writes while an edit is unapplied; each is applied (a no-op for such edits) and published.
    /// </summary>
    public async Task<IReadOnlyList<EditRecord>> RecordAsync(Func<long, DateTimeOffset, IReadOnlyList<LoggedEdit>> prepare, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var edits = prepare(log.LastTxId + 1, time.GetUtcNow());
            foreach (var logged in edits)
            {
                log.Append(logged);
                applyAndPublish(logged);
            }

            return edits.Select(e => e.Edit).ToList();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Logs and applies one Create through group commit: the Create is queued, and whichever queued caller takes the write
    /// lock first validates, logs (one write, one fsync) and applies the Creates queued at that moment, in queue order,
    /// so Creates that arrive while an fsync is under way share the next one. Each caller gets its own edit or
    /// exception. A group holds only Creates of separate paths (none the same as, inside or above another), because each
    /// is validated against the files as they are before any of the group is applied, and a Create changes nothing but
    /// its own path and the missing directories above it.
    /// </summary>
    public async Task<EditRecord?> CommitCreateAsync(string normalized, Func<long, DateTimeOffset, LoggedEdit?> prepare, CancellationToken cancellationToken)
    {
        var queued = new QueuedCreate(normalized, prepare);
        lock (_queueGate)
        {
            _queuedCreates.Add(queued);
        }

        while (!queued.Done.Task.IsCompleted)
        {
            try
            {
                await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (_queueGate)
                {
                    if (!queued.Taken)
                    {
                        _queuedCreates.Remove(queued);
                        throw;
                    }
                }

                // a group already holds it: its outcome stands
                break;
            }

            try
            {
                while (!queued.Done.Task.IsCompleted)
                {
                    CommitQueuedCreates();
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }

        return await queued.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Takes the write lock until the result is disposed, so tests can line up Creates for one group commit.</summary>
    public async Task<IDisposable> HoldWritesAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new WriteHold(_writeLock);
    }

    public void Dispose() => _writeLock.Dispose();

    /// <summary>Takes the next group from the queue, then validates, logs, applies and answers each of it. Under the write lock.</summary>
    private void CommitQueuedCreates()
    {
        var group = new List<QueuedCreate>();
        lock (_queueGate)
        {
            var bytes = 0;
            foreach (var next in _queuedCreates)
            {
                // JSON escapes a character in at most 6 bytes
                var size = (next.Path.Length * 6) + CreateFrameOverhead;
                if (group.Count > 0 && (group.Count == LocalNamespace.MaxCreatesPerGroup || bytes + size > EditLog.MaxGroupBytes
                    || group.Exists(g => NamespacePath.IsSameOrUnder(next.Path, g.Path) || NamespacePath.IsSameOrUnder(g.Path, next.Path))))
                {
                    break;
                }

                next.Taken = true;
                group.Add(next);
                bytes += size;
            }

            _queuedCreates.RemoveRange(0, group.Count);
        }

        var accepted = new List<(QueuedCreate Queued, LoggedEdit Logged)>(group.Count);
        try
        {
            checkWritable();
            var tx = log.LastTxId + 1;
            foreach (var queued in group)
            {
                try
                {
                    if (queued.Prepare(tx, time.GetUtcNow()) is { } logged)
                    {
                        accepted.Add((queued, logged));
                        tx++;
                    }
                    else
                    {
                        queued.Done.SetResult(null);
                    }
                }
                catch (Exception ex)
                {
                    queued.Done.SetException(ex);
                }
            }

            if (accepted.Count > 0)
            {
                log.Append(accepted.ConvertAll(a => a.Logged));
            }
        }
        catch (Exception ex)
        {
            foreach (var queued in group)
            {
                queued.Done.TrySetException(ex);
            }

            return;
        }

        foreach (var (queued, logged) in accepted)
        {
            try
            {
                checkWritable();
                applyAndPublish(logged);
                queued.Done.SetResult(logged.Edit);
            }
            catch (Exception ex)
            {
                queued.Done.SetException(ex);
            }
        }
    }

    private sealed class WriteHold(SemaphoreSlim writeLock) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                writeLock.Release();
            }
        }
    }
}
