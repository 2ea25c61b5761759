using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Hdfs.Journal;

/// <summary>
/// A <c>Kind: hdfs</c> namespace whose versions come from the NameNode's own edit log: every file operation goes to
/// <c>files</c> (the namespace reached over WebHDFS), while <see cref="EditsSinceAsync"/> reads a new tail of the
/// segments a JournalNode (or a shared edits directory) holds, so the router's edit log follower tails HDFS as it
/// tails a local namespace. <see cref="LastTxId"/> is the txid of the last path-changing op known to be in the journal:
/// from its first use a background tail follows the journal every poll interval to keep it current (or a given tip
/// answers it). It is never ahead of the NameNode, so a copy that records it as its source version is never taken
/// for newer than it is; it lags a write by up to the poll interval, and so does the router's view of that write.
/// Ops that change no path (segment boundaries, block ids) do not count, so a follower that applied every path edit
/// is caught up. <see cref="SyncAsync"/> closes the poll's window, as an HDFS client's msync does before it reads from
/// an observer: it asks the journal's last written txid, wakes every tail of this namespace to read at once, and
/// returns when one has read that far.
/// </summary>
internal sealed class JournalFollowedNamespace : ISyncedNamespace, IStoredFileChecksums, IDisposable
{
    // while a sync waits and no tail read on, the tails are woken again this often
    private static readonly TimeSpan RewakeInterval = TimeSpan.FromMilliseconds(250);

    private readonly INamespace _files;
    private readonly Func<JournalEditsTail> _newTail;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _tipLock = new();
    private readonly Func<TxId>? _knownTip;
    private readonly Func<CancellationToken, Task<long?>>? _lastWritten;
    private Task? _tip;
    private long _lastTxId;
    private long _readThrough;
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource? _progress;

    /// <param name="files">The file operations (WebHDFS).</param>
    /// <param name="newTail">A new tail of the journal (one per reader: a tail keeps its reading position).</param>
    /// <param name="tip">The last path-changing txid in the journal, when the caller knows it (no background tail then).</param>
    /// <param name="lastWritten">The journal's last written txid now (<see cref="IEditSegmentSource.LastWrittenTxIdAsync"/>), for <see cref="SyncAsync"/>.</param>
    public JournalFollowedNamespace(
        INamespace files, Func<JournalEditsTail> newTail, TimeProvider? time = null, ILogger? logger = null, Func<TxId>? tip = null,
        Func<CancellationToken, Task<long?>>? lastWritten = null)
    {
        _knownTip = tip;
        _lastWritten = lastWritten;
        _files = files ?? throw new ArgumentNullException(nameof(files));
        _newTail = newTail ?? throw new ArgumentNullException(nameof(newTail));
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public string Name => _files.Name;

    /// <summary>Whether the files' checksums are HDFS's own (GETFILECHECKSUM from the DataNodes' stored CRCs).</summary>
    public bool HasStoredChecksums => _files is IStoredFileChecksums { HasStoredChecksums: true };

    /// <summary>The highest txid read from the journal so far (0 before any); starts the background tail on first use.</summary>
    public TxId LastTxId
    {
        get
        {
            if (_knownTip is not null)
            {
                return _knownTip();
            }

            FollowTip();
            return new(Volatile.Read(ref _lastTxId));
        }
    }

    /// <summary>
    /// The last path-changing txid up to the journal's last written txid as of the call: learns that txid (a majority
    /// of JournalNodes, or the shared directory), wakes the tails and waits until one has read that far (the background
    /// tail, started here if it was not), waking them again every <see cref="RewakeInterval"/> none read on. Throws when
    /// the journal cannot tell, or on cancellation (the caller bounds it).
    /// </summary>
    public async Task<TxId> SyncAsync(CancellationToken cancellationToken)
    {
        if (_knownTip is not null)
        {
            return _knownTip();
        }

        if (_lastWritten is null)
        {
            throw new NotSupportedException($"hdfs namespace {Name}: no source of the journal's last written txid was given");
        }

        FollowTip();
        var written = await _lastWritten(cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"hdfs namespace {Name}: the journal did not tell its last written txid (a JournalNode that wrote nothing since it started)");
        WakeTails();
        while (Volatile.Read(ref _readThrough) < written)
        {
            var progress = Volatile.Read(ref _progress);
            if (progress is null)
            {
                progress = Interlocked.CompareExchange(ref _progress, NewSignal(), null) ?? Volatile.Read(ref _progress)!;
            }

            if (Volatile.Read(ref _readThrough) >= written)
            {
                break;
            }

            try
            {
                await progress.Task.WaitAsync(RewakeInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // no tail read on since the last wake-up: one may have fetched nothing new (a segment finalized and
                // renamed between its listing and its fetch, an op not all written yet) and gone back to its poll
                WakeTails();
            }
        }

        return new(Volatile.Read(ref _lastTxId));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // every tail waiting on the current signal reads now; the next wait is on a new one
    private void WakeTails() => Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult();

    // a tail that started after txid `start` gave out every edit up to txId: counted only when every edit up to its
    // start was given out before (a tail resuming from a router's checkpoint starts past edits no tail here read)
    private void ReadThrough(long start, long txId)
    {
        var seen = Volatile.Read(ref _readThrough);
        while (txId > seen && start <= seen && Interlocked.CompareExchange(ref _readThrough, txId, seen) is var was && was != seen)
        {
            seen = was;
        }

        if (txId > seen && start <= seen)
        {
            Interlocked.Exchange(ref _progress, null)?.TrySetResult();
        }
    }

    public async IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tail = _newTail();
        tail.Wakeup = () => Volatile.Read(ref _wake).Task;
        tail.ReadThrough = through => ReadThrough(after.Value, through);
        await foreach (var edit in tail.EditsSinceAsync(after, follow, cancellationToken).ConfigureAwait(false))
        {
            Advance(edit.TxId.Value);
            yield return edit;
        }
    }

    private void Advance(long txId)
    {
        var seen = Volatile.Read(ref _lastTxId);
        while (txId > seen && Interlocked.CompareExchange(ref _lastTxId, txId, seen) is var was && was != seen)
        {
            seen = was;
        }
    }

    private void FollowTip()
    {
        if (_tip is not null)
        {
            return;
        }

        lock (_tipLock)
        {
            _tip ??= Task.Run(() => FollowTipAsync(_stop.Token));
        }
    }

    private async Task FollowTipAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // from where every op was read through, not from the highest txid given out: another tail may have
                // given out edits past it without reading its fetch to the end (a follower that stopped mid-fetch), and a
                // tail starting past what was read through never counts toward a sync
                await foreach (var edit in EditsSinceAsync(new TxId(Volatile.Read(ref _readThrough)), follow: true, cancellationToken).ConfigureAwait(false))
                {
                    // Advance is done by EditsSinceAsync
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the tip follow outlives a JournalNode's failure: it logs and resumes from where it was
            catch (Exception ex)
#pragma warning restore CA1031
            {
                HdfsLog.TipFollowFailed(_logger, ex, Name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken) => _files.GetStatusAsync(path, cancellationToken);

    public IAsyncEnumerable<NamespaceEntry> ListAsync(string path, CancellationToken cancellationToken) => _files.ListAsync(path, cancellationToken);

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) => _files.OpenReadAsync(path, cancellationToken);

    public Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken) =>
        _files.CreateAsync(path, write, overwrite, cancellationToken);

    public Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken) => _files.MkdirsAsync(path, cancellationToken);

    public Task<EditRecord> RenameAsync(string source, string destination, CancellationToken cancellationToken) =>
        _files.RenameAsync(source, destination, cancellationToken);

    public Task<EditRecord> ExchangeAsync(string first, string second, CancellationToken cancellationToken) =>
        _files.ExchangeAsync(first, second, cancellationToken);

    public Task<EditRecord?> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken) => _files.DeleteAsync(path, recursive, cancellationToken);

    public Task<EditRecord> SetTimesAsync(string path, DateTimeOffset modificationTime, CancellationToken cancellationToken) =>
        _files.SetTimesAsync(path, modificationTime, cancellationToken);

    public Task<FileChecksum> GetChecksumAsync(string path, CancellationToken cancellationToken) => _files.GetChecksumAsync(path, cancellationToken);

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        (_files as IDisposable)?.Dispose();
    }
}
