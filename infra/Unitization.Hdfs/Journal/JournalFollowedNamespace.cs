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
/// is caught up.
/// </summary>
internal sealed class JournalFollowedNamespace : INamespace, IStoredFileChecksums, IDisposable
{
    private readonly INamespace _files;
    private readonly Func<JournalEditsTail> _newTail;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _tipLock = new();
    private readonly Func<TxId>? _knownTip;
    private Task? _tip;
    private long _lastTxId;

    /// <param name="files">The file operations (WebHDFS).</param>
    /// <param name="newTail">A new tail of the journal (one per reader: a tail keeps its reading position).</param>
    /// <param name="tip">The last path-changing txid in the journal, when the caller knows it (no background tail then).</param>
    public JournalFollowedNamespace(INamespace files, Func<JournalEditsTail> newTail, TimeProvider? time = null, ILogger? logger = null, Func<TxId>? tip = null)
    {
        _knownTip = tip;
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

    public async IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tail = _newTail();
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
                await foreach (var edit in EditsSinceAsync(new TxId(Volatile.Read(ref _lastTxId)), follow: true, cancellationToken).ConfigureAwait(false))
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
