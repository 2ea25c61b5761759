using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// The embedded stand-in for a datacenter's HDFS: a local directory plus an append-only edit log.
/// <list type="bullet">
/// <item><c>root/files/</c> holds the data (<see cref="PhysicalPaths"/>), <c>root/edits/edits.log</c> the log
/// (<see cref="EditLog"/>), <c>root/tmp/</c> files being written (never listed; cleaned on open).</item>
/// <item>Write-ahead: every mutation is validated, logged (its frame fsynced), then applied (<see cref="EditCommitter"/>,
/// <see cref="EditApplier"/>); a Create's data is written and fsynced in <c>tmp/</c> first and renamed into place after
/// its edit is logged (a caller of <see cref="CreateFromHandleAsync"/> may defer the data's fsync to
/// <see cref="SyncFilesAsync"/>, as the replicator does for a staged replica). On open the edits a crash may have left
/// logged and not applied are re-applied (<see cref="RedoOnOpen"/>), then <c>tmp/</c> is emptied.</item>
/// <item>Mutations are serialized per namespace (txids strictly increasing, gap-free); reads run concurrently and never
/// see a partial file, since files appear by rename.</item>
/// <item>One writer per root (<see cref="WriterLock"/>). A read-only instance (e.g. <c>unitization fs ls</c> next to a
/// running service) follows the log as the writer appends (<see cref="LogFollower"/>).</item>
/// </list>
/// </summary>
public sealed class LocalNamespace : INamespace, ILocalFileAccess, IDisposable
{
    /// <summary>The checksum algorithm of local files and of Create edits (<see cref="LocalChecksum"/>).</summary>
    public const string ChecksumAlgorithm = LocalChecksum.Algorithm;

    /// <summary>
    /// Most Creates logged with one fsync (group commit); redo on open re-applies up to this many trailing Creates,
    /// since all of the last group may have been logged and not applied.
    /// </summary>
    internal const int MaxCreatesPerGroup = 64;

    private const string LogFileName = "edits.log";

    private readonly bool _readOnly;
    private readonly PhysicalPaths _paths;
    private readonly NamespaceState _state = new();
    private readonly EditLog _log;
    private readonly EditApplier _applier;
    private readonly StagedCreate _creates;
    private readonly EditCommitter? _committer;
    private readonly FileStream? _writerLock;
    private readonly LogFollower? _follower;
    private readonly UnappliedEdits _unapplied;
    private readonly ILogger _logger;
    private bool _disposed;

    /// <summary>Opens (creating when missing, unless <paramref name="readOnly"/>) the namespace stored at <paramref name="rootDirectory"/>.</summary>
    /// <param name="awaitCreation">Read-only: a namespace its writer has not created yet opens empty and is followed from its first edit.</param>
    public LocalNamespace(string name, string rootDirectory, TimeProvider timeProvider, ILogger? logger = null, bool readOnly = false, bool awaitCreation = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Name = name;
        Root = Path.GetFullPath(rootDirectory);
        _logger = logger ?? NullLogger.Instance;
        _readOnly = readOnly;
        var files = Path.Join(Root, "files");
        var tmp = Path.Join(Root, "tmp");
        var edits = Path.Join(Root, "edits");
        if (readOnly)
        {
            if (awaitCreation)
            {
                // the folders only, so the log can be watched; the writer creates the log itself
                Directory.CreateDirectory(files);
                Directory.CreateDirectory(edits);
            }
            else if (!Directory.Exists(files) || !Directory.Exists(edits))
            {
                throw new DirectoryNotFoundException($"Namespace '{name}': '{Root}' holds no namespace (no files/ and edits/ folders).");
            }
        }
        else
        {
            Directory.CreateDirectory(files);
            Directory.CreateDirectory(edits);
            Directory.CreateDirectory(tmp);
            _writerLock = WriterLock.Acquire(Path.Join(edits, "writer.lock"));
        }

        if (new DirectoryInfo(files).Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            _writerLock?.Dispose();
            throw new NamespacePathException($"Namespace '{name}': the data folder is a symbolic link, which is refused", files);
        }

        _paths = new PhysicalPaths(name, files);
        _applier = new EditApplier(name, _paths, tmp);
        _creates = new StagedCreate(name, _paths, tmp);
        _unapplied = new UnappliedEdits(Path.Join(edits, "unapplied.json"));
        try
        {
            var redo = new RedoOnOpen(name, _applier, _logger);
            _log = EditLog.Open(Path.Join(edits, LogFileName), writable: !readOnly, logged =>
            {
                _state.Replay(logged);
                redo.Track(logged);
            },
            name,
            awaitCreation);
            _state.CaughtUp(_log.LastTxId);
            if (_log.Torn is { } torn)
            {
                if (readOnly)
                {
                    NamespacesLog.TornTailIgnored(_logger, name, torn.Offset, torn.Bytes, torn.Reason);
                }
                else
                {
                    NamespacesLog.TornTailDropped(_logger, name, torn.Bytes, torn.Reason, _log.LastTxId);
                }
            }

            if (readOnly)
            {
                _unapplied.Load();
                _follower = new LogFollower(_log, _state);
            }
            else
            {
                _unapplied.Set(redo.Run());
                _committer = new EditCommitter(_log, timeProvider, ThrowIfNotWritable, ApplyAndPublish);
            }
        }
        catch
        {
            _log?.Dispose();
            _writerLock?.Dispose();
            _follower?.Dispose();
            throw;
        }

        NamespacesLog.Opened(_logger, name, Root, _log.LastTxId);
    }

    public string Name { get; }

    /// <summary>The namespace's folder on disk.</summary>
    public string Root { get; }

    public TxId LastTxId
    {
        get
        {
            RefreshIfReadOnly();
            return new TxId(_state.LastTxId);
        }
    }

    /// <summary>
    /// A bad last frame the open found in the edit log (a write torn by a crash): a writable open dropped it, a read-only
    /// one stopped before it. Null when the log ended on a whole frame.
    /// </summary>
    public TornTail? TornTail => _log.Torn;

    /// <summary>
    /// Edits the log holds that could not be applied on disk. While there are any the namespace reads but takes no
    /// writes; <c>unitization fs recover</c> resolves them (<see cref="RecordDiskStateOfUnappliedAsync"/>).
    /// </summary>
    public IReadOnlyList<UnappliedEdit> UnappliedEdits => _unapplied.Current;

    /// <summary>Why <c>fs recover</c> wrote an edit in place of a corrupt frame it skipped; null for every other edit.</summary>
    public string? NoteOf(TxId txId)
    {
        RefreshIfReadOnly();
        return _state.NoteOf(txId);
    }

    /// <summary>How many appends (one fsync each) the edit log made since the namespace was opened; a group of Creates counts once.</summary>
    internal long LogAppends => _log.Appends;

    /// <summary>How many Creates are waiting for group commit.</summary>
    internal int QueuedCreates => _committer?.QueuedCreates ?? 0;

    public Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken)
    {
        var normalized = NamespacePath.Normalize(path);
        RefreshIfReadOnly();
        var physical = _paths.Resolve(normalized, path);
        FileSystemInfo info = Directory.Exists(physical) ? new DirectoryInfo(physical) : new FileInfo(physical);
        return Task.FromResult(info.Exists ? Entry(normalized, info) : null);
    }

    public async IAsyncEnumerable<NamespaceEntry> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var normalized = NamespacePath.Normalize(path);
        RefreshIfReadOnly();
        var physical = _paths.Resolve(normalized, path);
        if (File.Exists(physical))
        {
            yield return Entry(normalized, new FileInfo(physical));
            yield break;
        }

        if (!Directory.Exists(physical))
        {
            throw _paths.NotFound(normalized);
        }

        // Unitization's staging is never listed, except to a caller that lists inside it
        var hideInternal = !NamespacePath.IsInternal(normalized);
        var children = new DirectoryInfo(physical).EnumerateFileSystemInfos()
            .Where(i => !i.Attributes.HasFlag(FileAttributes.ReparsePoint))
            .Where(i => !hideInternal || !NamespacePath.IsInternal(NamespacePath.Child(normalized, i.Name)))
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var child in children)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Entry(NamespacePath.Child(normalized, child.Name), child);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var normalized = NamespacePath.Normalize(path);
        var physical = _paths.Resolve(normalized, path);
        if (Directory.Exists(physical))
        {
            throw new IOException($"{Name}:{normalized} is a directory.");
        }

        try
        {
            Stream stream = new FileStream(physical, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult(stream);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw _paths.NotFound(normalized);
        }
    }

    public Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return _creates.CommitAsync(Committer, path, StagedCreate.FromStream(write), overwrite, deferDirectorySync: false, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<EditRecord> CreateFromHandleAsync(
        string path, Func<SafeFileHandle, StagedFileChecksum, CancellationToken, Task> write, bool overwrite, bool syncData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return _creates.CommitAsync(Committer, path, StagedCreate.FromHandle(write, syncData), overwrite, deferDirectorySync: !syncData, cancellationToken);
    }

    /// <inheritdoc/>
    public Task SyncFilesAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ThrowIfReadOnly();
        return DirectorySync.FlushFilesAsync(paths.Select(path => _paths.Resolve(NamespacePath.Normalize(path), path)).ToList(), cancellationToken);
    }

    /// <inheritdoc/>
    public (string Checksum, TxId TxId)? GetLoggedChecksum(string path)
    {
        var normalized = NamespacePath.Normalize(path);
        RefreshIfReadOnly();
        return _state.LoggedChecksumOf(normalized);
    }

    /// <inheritdoc/>
    public SafeFileHandle OpenReadHandle(string path)
    {
        var normalized = NamespacePath.Normalize(path);
        var physical = _paths.Resolve(normalized, path);
        if (Directory.Exists(physical))
        {
            throw new IOException($"{Name}:{normalized} is a directory.");
        }

        try
        {
            return File.OpenHandle(physical, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw _paths.NotFound(normalized);
        }
    }

    public Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken)
    {
        var normalized = NamespacePath.Normalize(path);
        return Committer.MutateAsync(
            (tx, now) =>
            {
                var target = _paths.Resolve(normalized, path);
                if (Directory.Exists(target))
                {
                    return null;
                }

                if (File.Exists(target))
                {
                    throw new IOException($"{Name}:{normalized} is a file; a directory cannot be created there.");
                }

                _paths.RequireNoFileAncestor(normalized);
                _paths.RequireFits(normalized, path);
                return new LoggedEdit(new EditRecord(new TxId(tx), EditOp.Mkdirs, normalized, null, 0, null, now), null);
            },
            cancellationToken);
    }

    public async Task<EditRecord> RenameAsync(string source, string destination, CancellationToken cancellationToken)
    {
        var from = NamespacePath.Normalize(source);
        var to = NamespacePath.Normalize(destination);
        if (from == NamespacePath.Root)
        {
            throw new NamespacePathException("The namespace root cannot be renamed", source);
        }

        var edit = await Committer.MutateAsync(
            (tx, now) =>
            {
                var physicalFrom = _paths.Resolve(from, source);
                var physicalTo = _paths.Resolve(to, destination);
                var isFile = File.Exists(physicalFrom);
                if (!isFile && !Directory.Exists(physicalFrom))
                {
                    throw _paths.NotFound(from);
                }

                if (PhysicalPaths.Exists(physicalTo))
                {
                    throw new IOException($"{Name}:{to} already exists; a rename never replaces anything.");
                }

                if (NamespacePath.IsSameOrUnder(to, from))
                {
                    throw new IOException($"{Name}:{from} cannot be moved into itself ({to}).");
                }

                _paths.RequireNoFileAncestor(to);
                _paths.RequireFits(to, destination, _state.DeepestSuffixBytes(from));
                var size = isFile ? new FileInfo(physicalFrom).Length : 0;
                return new LoggedEdit(new EditRecord(new TxId(tx), EditOp.Rename, from, to, size, null, now), null);
            },
            cancellationToken).ConfigureAwait(false);
        return edit!;
    }

    /// <summary>
    /// Swaps two existing paths with one <c>renameat2(RENAME_EXCHANGE)</c>, logged first as one Exchange edit carrying
    /// the inode that was at <paramref name="first"/>, so redo on open can tell whether the swap happened (exchange
    /// undoes itself when repeated). The first exchange of an instance checks, in <c>tmp/</c>, that the kernel and the
    /// file system can do it; where they cannot (or off Linux) it throws <see cref="NotSupportedException"/> and logs
    /// nothing.
    /// </summary>
    public async Task<EditRecord> ExchangeAsync(string first, string second, CancellationToken cancellationToken)
    {
        var (a, b) = NamespacePath.NormalizeExchange(Name, first, second);

        var edit = await Committer.MutateAsync(
            (tx, now) =>
            {
                var physicalA = _paths.Resolve(a, first);
                var physicalB = _paths.Resolve(b, second);
                if (!PhysicalPaths.Exists(physicalA))
                {
                    throw _paths.NotFound(a);
                }

                if (!PhysicalPaths.Exists(physicalB))
                {
                    throw _paths.NotFound(b);
                }

                _paths.RequireFits(a, first, _state.DeepestSuffixBytes(b));
                _paths.RequireFits(b, second, _state.DeepestSuffixBytes(a));
                _applier.RequireExchange();
                var inode = AtomicExchange.InodeOf(physicalA) ?? throw _paths.NotFound(a);
                return new LoggedEdit(new EditRecord(new TxId(tx), EditOp.Exchange, a, b, 0, null, now), null, inode);
            },
            cancellationToken).ConfigureAwait(false);
        return edit!;
    }

    public Task<EditRecord?> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken)
    {
        var normalized = NamespacePath.Normalize(path);
        if (normalized == NamespacePath.Root)
        {
            throw new NamespacePathException("The namespace root cannot be deleted", path);
        }

        return Committer.MutateAsync(
            (tx, now) =>
            {
                var target = _paths.Resolve(normalized, path);
                if (File.Exists(target))
                {
                    return new LoggedEdit(new EditRecord(new TxId(tx), EditOp.Delete, normalized, null, new FileInfo(target).Length, null, now), null);
                }

                if (!Directory.Exists(target))
                {
                    return null;
                }

                if (!recursive && Directory.EnumerateFileSystemEntries(target).Any())
                {
                    throw new IOException($"{Name}:{normalized} is a non-empty directory; delete it recursively.");
                }

                return new LoggedEdit(new EditRecord(new TxId(tx), EditOp.Delete, normalized, null, 0, null, now), null);
            },
            cancellationToken);
    }

    /// <summary>Sets a file's or directory's modification time; the edit's <see cref="EditRecord.Timestamp"/> is that time.</summary>
    public async Task<EditRecord> SetTimesAsync(string path, DateTimeOffset modificationTime, CancellationToken cancellationToken)
    {
        var normalized = NamespacePath.Normalize(path);
        var edit = await Committer.MutateAsync(
            (tx, _) =>
            {
                if (!PhysicalPaths.Exists(_paths.Resolve(normalized, path)))
                {
                    throw _paths.NotFound(normalized);
                }

                return new LoggedEdit(new EditRecord(new TxId(tx), EditOp.SetTimes, normalized, null, 0, null, modificationTime), null);
            },
            cancellationToken).ConfigureAwait(false);
        return edit!;
    }

    public async Task<FileChecksum> GetChecksumAsync(string path, CancellationToken cancellationToken)
    {
        var stream = await OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await LocalChecksum.ComputeAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = Math.Max(after.Value, 0) + 1;
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var appended = _state.Appended;
            RefreshIfReadOnly();
            var last = _state.LastTxId;
            if (next <= last)
            {
                await foreach (var edit in _log.ReadAsync(next, last, cancellationToken).ConfigureAwait(false))
                {
                    yield return edit;
                }

                next = last + 1;
                continue;
            }

            if (!follow)
            {
                yield break;
            }

            await appended.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _state.Signal();
        _follower?.Dispose();
        _log.Dispose();
        _writerLock?.Dispose();
        _committer?.Dispose();
    }

    public override string ToString() => $"{Name} ({Root})";

    /// <summary>
    /// Resolves the unapplied edits (<see cref="UnappliedEdits"/>) keeping every edit logged: for each path they touched,
    /// logs one edit that says what the disk holds there (a Mkdirs for a directory, a Create with the file's size and
    /// checksum for a file, a Delete where nothing is), applies nothing (the disk is already so) and takes writes again.
    /// Followers of the log see the correction as ordinary edits. Returns the edits logged.
    /// </summary>
    internal async Task<IReadOnlyList<EditRecord>> RecordDiskStateOfUnappliedAsync(CancellationToken cancellationToken)
    {
        var plan = await DiskState.DescribeAsync(_paths, _unapplied.Current, cancellationToken).ConfigureAwait(false);
        var logged = await Committer.RecordAsync(
            (tx, now) => plan.Select((step, i) => new LoggedEdit(
                new EditRecord(new TxId(tx + i), step.Op, step.Path, null, step.Checksum?.Length ?? 0, step.Checksum?.Hex, now), null)).ToList(),
            cancellationToken).ConfigureAwait(false);
        _unapplied.Set([]);
        return logged;
    }

    /// <summary>Takes the write lock until the result is disposed, so tests can line up Creates for one group commit.</summary>
    internal Task<IDisposable> HoldWritesAsync(CancellationToken cancellationToken) => Committer.HoldWritesAsync(cancellationToken);

    private EditCommitter Committer
    {
        get
        {
            ThrowIfReadOnly();
            return _committer!;
        }
    }

    private void ThrowIfNotWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_unapplied.Current is [var first, ..])
        {
            throw new IOException(
                $"Namespace '{Name}' takes no writes: {first}. Stop the service and run 'unitization fs recover --namespace {Name}' (it keeps every other edit).");
        }
    }

    /// <summary>
    /// Applies an edit already logged, then publishes it. When the apply fails the edit is recorded as unapplied and the
    /// namespace takes no more writes (reopening retries it; <c>fs recover</c> resolves it).
    /// </summary>
    private void ApplyAndPublish(LoggedEdit logged)
    {
        try
        {
            _applier.Apply(logged);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            var failed = new UnappliedEdit(logged.Edit.TxId.Value, logged.Edit.Op, logged.Edit.Path, logged.Edit.Destination, ex.Message);
            NamespacesLog.EditNotApplied(_logger, Name, failed.ToString());
            try
            {
                _unapplied.Add(failed);
            }
            catch (Exception saveFailure) when (saveFailure is IOException or UnauthorizedAccessException)
            {
                // still refused in memory; the next open re-applies the edit and records it again if it fails
            }

            throw new IOException(
                $"Namespace '{Name}': {failed}. It takes no writes until 'unitization fs recover --namespace {Name}' resolves it (reopening retries the edit).", ex);
        }

        _state.Publish(logged.Edit);
    }

    private void RefreshIfReadOnly()
    {
        if (_follower is not null && !_disposed)
        {
            _follower.Refresh();
        }
    }

    private void ThrowIfReadOnly()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_readOnly)
        {
            throw new InvalidOperationException($"Namespace '{Name}' is open read-only.");
        }
    }

    private NamespaceEntry Entry(string normalized, FileSystemInfo info)
    {
        var isDirectory = info is DirectoryInfo;
        return new NamespaceEntry(normalized, isDirectory, isDirectory ? 0 : ((FileInfo)info).Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), _state.VersionOf(normalized));
    }
}
