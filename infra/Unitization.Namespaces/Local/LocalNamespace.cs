using System.Buffers;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// Long file: to be split along its seams (path resolution, writer lock, group commit, apply and recovery, the
/// read-only follower, checksums); the split is under way with the namespace hardening of issue 16.
/// The embedded stand-in for a datacenter's HDFS: a local directory plus an append-only edit log.
/// <list type="bullet">
/// <item><c>root/files/</c> holds the data, <c>root/edits/edits.log</c> the log, <c>root/tmp/</c> files being written
/// (never listed; cleaned on open).</item>
/// <item>Write-ahead: every mutation is validated, logged (its frame fsynced), then applied; a Create's data is
/// written and fsynced in <c>tmp/</c> first and renamed into place after its edit is logged (a caller of
/// <see cref="CreateFromHandleAsync"/> may defer the data's fsync to <see cref="SyncFilesAsync"/>, as the replicator
/// does for a staged replica). Creates that arrive while the log is being fsynced share the next fsync (group commit:
/// <see cref="CommitCreateAsync"/>); every other mutation is logged on its own. On open the edits a crash may have left
/// logged and not applied are re-applied: the last edit, or the trailing Creates of its group (every apply is
/// idempotent; an exchange, which would undo itself if repeated, checks by inode whether it happened), then
/// <c>tmp/</c> is emptied.</item>
/// <item>Mutations are serialized per namespace (txids strictly increasing, gap-free); reads run concurrently and never
/// see a partial file, since files appear by rename.</item>
/// <item>One writer per root: the writable instance holds an exclusive lock on <c>edits/writer.lock</c>. A read-only
/// instance (e.g. <c>unitization fs ls</c> next to a running service) follows the log as the writer appends.</item>
/// </list>
/// </summary>
public sealed class LocalNamespace : INamespace, ILocalFileAccess, IDisposable
{
    /// <summary>
    /// The checksum algorithm of local files and of Create edits: XXH128, 32 hex digits, a corruption check as HDFS's
    /// CRC32C is (about 15 times cheaper than SHA-256, which took half the CPU of a replica copy). Create edits logged
    /// before carry a 64-hex SHA-256 and stay readable: the edit log keeps a checksum as an opaque string.
    /// </summary>
    public const string ChecksumAlgorithm = "XXH128";

    private const string LogFileName = "edits.log";

    /// <summary>
    /// Most Creates logged with one fsync (group commit); redo on open re-applies up to this many trailing Creates,
    /// since all of the last group may have been logged and not applied.
    /// </summary>
    internal const int MaxCreatesPerGroup = 64;

    /// <summary>Bytes a Create frame takes besides its path (txid, op, size, checksum, time, stage name: under 300), rounded up.</summary>
    private const int CreateFrameOverhead = 512;

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _files;
    private readonly string _tmp;
    private readonly bool _readOnly;
    private readonly EditLog _log;
    private readonly Lock _stateGate = new();
    private readonly PathVersions _versions = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _queueGate = new();
    private readonly List<QueuedCreate> _queuedCreates = [];
    private readonly FileStream? _writerLock;
    private readonly FileSystemWatcher? _watcher;
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastTxId;
    private Exception? _faulted;
    private bool _exchangeProbed;
    private NotSupportedException? _exchangeUnsupported;
    private bool _disposed;

    /// <summary>Opens (creating when missing, unless <paramref name="readOnly"/>) the namespace stored at <paramref name="rootDirectory"/>.</summary>
    public LocalNamespace(string name, string rootDirectory, TimeProvider timeProvider, ILogger? logger = null, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Name = name;
        Root = Path.GetFullPath(rootDirectory);
        _time = timeProvider;
        _logger = logger ?? NullLogger.Instance;
        _readOnly = readOnly;
        _files = Path.Join(Root, "files");
        _tmp = Path.Join(Root, "tmp");
        var edits = Path.Join(Root, "edits");
        if (readOnly)
        {
            if (!Directory.Exists(_files) || !Directory.Exists(edits))
            {
                throw new DirectoryNotFoundException($"Namespace '{name}': '{Root}' holds no namespace (no files/ and edits/ folders).");
            }
        }
        else
        {
            Directory.CreateDirectory(_files);
            Directory.CreateDirectory(edits);
            Directory.CreateDirectory(_tmp);
            _writerLock = LockWriter(Path.Join(edits, "writer.lock"));
        }

        if (new DirectoryInfo(_files).Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            _writerLock?.Dispose();
            throw new NamespacePathException($"Namespace '{name}': the data folder is a symbolic link, which is refused", _files);
        }

        try
        {
            // the edits that may be logged and not applied: the last one, or the trailing Creates of a group commit
            var trailing = new Queue<LoggedEdit>();
            _log = EditLog.Open(Path.Join(edits, LogFileName), writable: !readOnly, logged =>
            {
                _versions.Apply(logged.Edit);
                if (logged.Edit.Op != EditOp.Create || (trailing.TryPeek(out var first) && first.Edit.Op != EditOp.Create))
                {
                    trailing.Clear();
                }

                trailing.Enqueue(logged);
                if (trailing.Count > MaxCreatesPerGroup)
                {
                    trailing.Dequeue();
                }
            });
            _lastTxId = _log.LastTxId;
            if (_log.DroppedBytes > 0)
            {
                NamespacesLog.TornTailDropped(_logger, name, _log.DroppedBytes, _log.DropReason!, _lastTxId);
            }

            if (!readOnly)
            {
                Recover(trailing);

                CleanTemporaryFiles();
            }
            else
            {
                _watcher = new FileSystemWatcher(edits, LogFileName) { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size };
                _watcher.Changed += (_, _) => Signal();
                _watcher.EnableRaisingEvents = true;
            }
        }
        catch
        {
            _log?.Dispose();
            _writerLock?.Dispose();
            _watcher?.Dispose();
            throw;
        }

        NamespacesLog.Opened(_logger, name, Root, _lastTxId);
    }

    public string Name { get; }

    /// <summary>The namespace's folder on disk.</summary>
    public string Root { get; }

    public TxId LastTxId
    {
        get
        {
            RefreshIfReadOnly();
            return new TxId(Volatile.Read(ref _lastTxId));
        }
    }

    public Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken)
    {
        var normalized = NamespacePath.Normalize(path);
        RefreshIfReadOnly();
        var physical = Resolve(normalized, path);
        FileSystemInfo info = Directory.Exists(physical) ? new DirectoryInfo(physical) : new FileInfo(physical);
        return Task.FromResult(info.Exists ? Entry(normalized, info) : null);
    }

    public async IAsyncEnumerable<NamespaceEntry> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var normalized = NamespacePath.Normalize(path);
        RefreshIfReadOnly();
        var physical = Resolve(normalized, path);
        if (File.Exists(physical))
        {
            yield return Entry(normalized, new FileInfo(physical));
            yield break;
        }

        if (!Directory.Exists(physical))
        {
            throw NotFound(normalized);
        }

        var children = new DirectoryInfo(physical).EnumerateFileSystemInfos()
            .Where(i => !i.Attributes.HasFlag(FileAttributes.ReparsePoint))
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
        var physical = Resolve(normalized, path);
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
            throw NotFound(normalized);
        }
    }

    public Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return CreateStagedAsync(
            path,
            async (staged, ct) =>
            {
                var file = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    using var hashing = new ChecksumWriteStream(file);
                    await write(hashing, ct).ConfigureAwait(false);
                    await file.FlushAsync(ct).ConfigureAwait(false);
                    file.Flush(flushToDisk: true);
                    return hashing.Finish();
                }
            },
            overwrite,
            deferDirectorySync: false,
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<EditRecord> CreateFromHandleAsync(
        string path, Func<SafeFileHandle, StagedFileChecksum, CancellationToken, Task> write, bool overwrite, bool syncData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return CreateStagedAsync(
            path,
            async (staged, ct) =>
            {
                using var handle = File.OpenHandle(staged, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
                var readBack = new StagedFileChecksum(handle);
                try
                {
                    await write(handle, readBack, ct).ConfigureAwait(false);
                    var checksum = readBack.Finish(ChecksumAlgorithm, ct);
                    if (syncData)
                    {
                        RandomAccess.FlushToDisk(handle);
                    }

                    return checksum;
                }
                finally
                {
                    readBack.Release();
                }
            },
            overwrite,
            deferDirectorySync: !syncData,
            cancellationToken);
    }

    /// <inheritdoc/>
    public async Task SyncFilesAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ThrowIfReadOnly();
        var physical = paths.Select(path => Resolve(NamespacePath.Normalize(path), path)).ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(
            physical,
            options,
            (file, _) =>
            {
                using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                RandomAccess.FlushToDisk(handle);
                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);

        // the entries deferred Creates renamed into these directories
        await Parallel.ForEachAsync(
            physical.Select(Path.GetDirectoryName).Distinct(StringComparer.Ordinal),
            options,
            (directory, _) =>
            {
                DirectorySync.Flush(directory!);
                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public (string Checksum, TxId TxId)? GetLoggedChecksum(string path)
    {
        var normalized = NamespacePath.Normalize(path);
        RefreshIfReadOnly();
        lock (_stateGate)
        {
            return _versions.GetChecksum(normalized);
        }
    }

    /// <inheritdoc/>
    public SafeFileHandle OpenReadHandle(string path)
    {
        var normalized = NamespacePath.Normalize(path);
        var physical = Resolve(normalized, path);
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
            throw NotFound(normalized);
        }
    }

    public Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken)
    {
        var normalized = NamespacePath.Normalize(path);
        return MutateAsync(
            (tx, now) =>
            {
                var target = Resolve(normalized, path);
                if (Directory.Exists(target))
                {
                    return null;
                }

                if (File.Exists(target))
                {
                    throw new IOException($"{Name}:{normalized} is a file; a directory cannot be created there.");
                }

                RequireNoFileAncestor(normalized);
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

        var edit = await MutateAsync(
            (tx, now) =>
            {
                var physicalFrom = Resolve(from, source);
                var physicalTo = Resolve(to, destination);
                var isFile = File.Exists(physicalFrom);
                if (!isFile && !Directory.Exists(physicalFrom))
                {
                    throw NotFound(from);
                }

                if (File.Exists(physicalTo) || Directory.Exists(physicalTo))
                {
                    throw new IOException($"{Name}:{to} already exists; a rename never replaces anything.");
                }

                if (NamespacePath.IsSameOrUnder(to, from))
                {
                    throw new IOException($"{Name}:{from} cannot be moved into itself ({to}).");
                }

                RequireNoFileAncestor(to);
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
        var a = NamespacePath.Normalize(first);
        var b = NamespacePath.Normalize(second);
        if (a == NamespacePath.Root || b == NamespacePath.Root)
        {
            throw new NamespacePathException("The namespace root cannot be exchanged", a == NamespacePath.Root ? first : second);
        }

        if (NamespacePath.IsSameOrUnder(a, b) || NamespacePath.IsSameOrUnder(b, a))
        {
            throw new IOException($"{Name}:{a} and {Name}:{b} are the same path or one is inside the other; an exchange swaps two separate paths.");
        }

        var edit = await MutateAsync(
            (tx, now) =>
            {
                var physicalA = Resolve(a, first);
                var physicalB = Resolve(b, second);
                if (!Exists(physicalA))
                {
                    throw NotFound(a);
                }

                if (!Exists(physicalB))
                {
                    throw NotFound(b);
                }

                RequireExchange();
                var inode = AtomicExchange.InodeOf(physicalA) ?? throw NotFound(a);
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

        return MutateAsync(
            (tx, now) =>
            {
                var target = Resolve(normalized, path);
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
        var edit = await MutateAsync(
            (tx, _) =>
            {
                var target = Resolve(normalized, path);
                if (!File.Exists(target) && !Directory.Exists(target))
                {
                    throw NotFound(normalized);
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
            var hash = new XxHash128();
            await hash.AppendAsync(stream, cancellationToken).ConfigureAwait(false);
            return new FileChecksum(ChecksumAlgorithm, Convert.ToHexStringLower(hash.GetCurrentHash()), stream.Length);
        }
    }

    public async IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = Math.Max(after.Value, 0) + 1;
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var appended = Volatile.Read(ref _appended).Task;
            RefreshIfReadOnly();
            var last = Volatile.Read(ref _lastTxId);
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
        Signal();
        _watcher?.Dispose();
        _log.Dispose();
        _writerLock?.Dispose();
        _writeLock.Dispose();
    }

    public override string ToString() => $"{Name} ({Root})";

    /// <summary>How many appends (one fsync each) the edit log made since the namespace was opened; a group of Creates counts once.</summary>
    internal long LogAppends => _log.Appends;

    /// <summary>How many Creates are waiting for group commit.</summary>
    internal int QueuedCreates
    {
        get
        {
            lock (_queueGate)
            {
                return _queuedCreates.Count;
            }
        }
    }

    /// <summary>Takes the write lock until the result is disposed, so tests can line up Creates for one group commit.</summary>
    internal async Task<IDisposable> HoldWritesAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new WriteHold(_writeLock);
    }

    private static FileStream LockWriter(string lockPath)
    {
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException(
                $"The namespace at '{Path.GetDirectoryName(Path.GetDirectoryName(lockPath))}' is already open for writing by another process or instance " +
                "(one writer per namespace); open it read-only or stop the other writer.", ex);
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // a stale temporary file is removed on the next open
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool Exists(string physical) => File.Exists(physical) || Directory.Exists(physical);

    /// <summary>
    /// A Create: <paramref name="write"/> fills a new file in <c>tmp/</c> and returns its checksum; then the edit is
    /// logged and the file renamed into place. A failure or cancellation before the edit removes the temporary file.
    /// </summary>
    private async Task<EditRecord> CreateStagedAsync(
        string path, Func<string, CancellationToken, Task<FileChecksum>> write, bool overwrite, bool deferDirectorySync, CancellationToken cancellationToken)
    {
        var normalized = NamespacePath.Normalize(path);
        if (normalized == NamespacePath.Root)
        {
            throw new NamespacePathException("A file cannot be created at the namespace root", path);
        }

        ThrowIfReadOnly();
        var stage = Guid.NewGuid().ToString("N") + ".part";
        var staged = Path.Join(_tmp, stage);
        var committed = false;
        try
        {
            var checksum = await write(staged, cancellationToken).ConfigureAwait(false);
            var edit = await CommitCreateAsync(
                normalized,
                (tx, now) =>
                {
                    var target = Resolve(normalized, path);
                    if (Directory.Exists(target))
                    {
                        throw new IOException($"{Name}:{normalized} is a directory; a file cannot replace it.");
                    }

                    if (!overwrite && File.Exists(target))
                    {
                        throw new IOException($"{Name}:{normalized} already exists (pass overwrite to replace it).");
                    }

                    RequireNoFileAncestor(normalized);
                    File.SetLastWriteTimeUtc(staged, now.UtcDateTime);
                    committed = true;
                    return new LoggedEdit(new EditRecord(new TxId(tx), EditOp.Create, normalized, null, checksum.Length, checksum.Hex, now), stage, DeferDirectorySync: deferDirectorySync);
                },
                cancellationToken).ConfigureAwait(false);
            return edit!;
        }
        finally
        {
            if (!committed)
            {
                TryDelete(staged);
            }
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
    private async Task<EditRecord?> CommitCreateAsync(string normalized, Func<long, DateTimeOffset, LoggedEdit?> prepare, CancellationToken cancellationToken)
    {
        ThrowIfReadOnly();
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
                if (group.Count > 0 && (group.Count == MaxCreatesPerGroup || bytes + size > EditLog.MaxGroupBytes
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
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfFaulted();
            var tx = _log.LastTxId + 1;
            foreach (var queued in group)
            {
                try
                {
                    if (queued.Prepare(tx, _time.GetUtcNow()) is { } logged)
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
                _log.Append(accepted.ConvertAll(a => a.Logged));
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
                ThrowIfFaulted();
                ApplyLogged(logged);
                Publish(logged.Edit);
                queued.Done.SetResult(logged.Edit);
            }
            catch (Exception ex)
            {
                queued.Done.SetException(ex);
            }
        }
    }

    private void ThrowIfFaulted()
    {
        if (_faulted is not null)
        {
            throw new IOException($"Namespace '{Name}' stopped taking writes after an edit was logged but could not be applied: {_faulted.Message} Reopen it to re-apply that edit.", _faulted);
        }
    }

    /// <summary>Applies an edit already logged; when that fails the namespace takes no more writes until reopened (which redoes it).</summary>
    private void ApplyLogged(LoggedEdit logged)
    {
        try
        {
            Apply(logged);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _faulted = ex;
            throw new IOException($"Namespace '{Name}': edit {logged.Edit.TxId} is logged but applying it failed ({ex.Message}); reopen the namespace to re-apply it.", ex);
        }
    }

    /// <summary>Validates and logs one edit, then applies it; serialized per namespace.</summary>
    private async Task<EditRecord?> MutateAsync(Func<long, DateTimeOffset, LoggedEdit?> prepare, CancellationToken cancellationToken)
    {
        ThrowIfReadOnly();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfFaulted();
            var tx = _log.LastTxId + 1;
            var logged = prepare(tx, _time.GetUtcNow());
            if (logged is null)
            {
                return null;
            }

            _log.Append(logged);
            ApplyLogged(logged);
            Publish(logged.Edit);
            return logged.Edit;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void Publish(EditRecord edit)
    {
        lock (_stateGate)
        {
            _versions.Apply(edit);
        }

        Volatile.Write(ref _lastTxId, edit.TxId.Value);
        Signal();
    }

    private void Signal() =>
        Interlocked.Exchange(ref _appended, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Makes a logged edit true on disk. Idempotent, so the last edit can be re-applied after a crash.</summary>
    private void Apply(LoggedEdit logged)
    {
        var edit = logged.Edit;
        var target = PhysicalUnchecked(edit.Path);
        switch (edit.Op)
        {
            case EditOp.Mkdirs:
                EnsureDirectory(edit.Path, edit.Timestamp);
                break;
            case EditOp.Create:
                var staged = Path.Join(_tmp, logged.Stage);
                if (File.Exists(staged))
                {
                    EnsureDirectory(NamespacePath.Parent(edit.Path)!, edit.Timestamp);
                    File.Move(staged, target, overwrite: true);
                    if (logged.DeferDirectorySync)
                    {
                        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(target)!, edit.Timestamp.UtcDateTime);
                    }
                    else
                    {
                        SyncDirectory(Path.GetDirectoryName(target)!, edit.Timestamp);
                    }
                }

                break;
            case EditOp.Rename:
                var destination = PhysicalUnchecked(edit.Destination!);
                if (Exists(target) && !Exists(destination))
                {
                    EnsureDirectory(NamespacePath.Parent(edit.Destination!)!, edit.Timestamp);
                    if (Directory.Exists(target))
                    {
                        Directory.Move(target, destination);
                    }
                    else
                    {
                        File.Move(target, destination);
                    }

                    SyncDirectory(Path.GetDirectoryName(target)!, edit.Timestamp);
                    SyncDirectory(Path.GetDirectoryName(destination)!, edit.Timestamp);
                }

                break;
            case EditOp.Exchange:
                ApplyExchange(logged, target, PhysicalUnchecked(edit.Destination!));
                break;
            case EditOp.Delete:
                if (Exists(target))
                {
                    // vanish atomically (rename out of files/), then remove the bytes
                    var trash = Path.Join(_tmp, $"{edit.TxId.Value}.deleted");
                    if (Directory.Exists(target))
                    {
                        Directory.Move(target, trash);
                    }
                    else
                    {
                        File.Move(target, trash, overwrite: true);
                    }

                    SyncDirectory(Path.GetDirectoryName(target)!, edit.Timestamp);
                    DeleteQuietly(trash);
                }

                break;
            case EditOp.SetTimes:
                if (Directory.Exists(target))
                {
                    Directory.SetLastWriteTimeUtc(target, edit.Timestamp.UtcDateTime);
                }
                else if (File.Exists(target))
                {
                    File.SetLastWriteTimeUtc(target, edit.Timestamp.UtcDateTime);
                }

                break;
            default:
                throw new InvalidDataException($"Unknown edit op {edit.Op}.");
        }
    }

    /// <summary>
    /// Swaps the two sides unless the logged inode of the first is already at the second (the swap happened before a
    /// crash); a state that is neither was changed outside the namespace and is refused.
    /// </summary>
    private void ApplyExchange(LoggedEdit logged, string first, string second)
    {
        var edit = logged.Edit;
        var inode = logged.Inode ?? throw new InvalidDataException($"Namespace '{Name}': exchange edit {edit.TxId} carries no inode.");
        try
        {
            if (AtomicExchange.InodeOf(first) != inode)
            {
                if (AtomicExchange.InodeOf(second) == inode)
                {
                    return;
                }

                throw new IOException(
                    $"Namespace '{Name}': neither {edit.Path} nor {edit.Destination} holds the entry that was at {edit.Path} when exchange {edit.TxId} was logged " +
                    $"(inode {inode}); the files were changed outside the namespace.");
            }

            AtomicExchange.Exchange(first, second);
        }
        catch (NotSupportedException ex)
        {
            throw new IOException(ex.Message, ex);
        }

        var firstParent = Path.GetDirectoryName(first)!;
        var secondParent = Path.GetDirectoryName(second)!;
        SyncDirectory(firstParent, edit.Timestamp);
        if (secondParent != firstParent)
        {
            SyncDirectory(secondParent, edit.Timestamp);
        }
    }

    /// <summary>Checks once per instance that this file system can exchange (see <see cref="AtomicExchange.Probe"/>).</summary>
    private void RequireExchange()
    {
        if (!_exchangeProbed)
        {
            try
            {
                AtomicExchange.Probe(_tmp);
            }
            catch (NotSupportedException ex)
            {
                _exchangeUnsupported = ex;
            }

            _exchangeProbed = true;
        }

        if (_exchangeUnsupported is not null)
        {
            throw new NotSupportedException($"Namespace '{Name}' cannot exchange paths: {_exchangeUnsupported.Message}", _exchangeUnsupported);
        }
    }

    /// <summary>Creates the missing directories of a normalized path, each stamped with the edit's time and made durable in its parent.</summary>
    private void EnsureDirectory(string normalized, DateTimeOffset timestamp)
    {
        if (normalized == NamespacePath.Root)
        {
            return;
        }

        var missing = new Stack<string>();
        for (var p = normalized; p != NamespacePath.Root && !Directory.Exists(PhysicalUnchecked(p)); p = NamespacePath.Parent(p)!)
        {
            missing.Push(p);
        }

        while (missing.TryPop(out var p))
        {
            var physical = PhysicalUnchecked(p);
            Directory.CreateDirectory(physical);
            Directory.SetLastWriteTimeUtc(physical, timestamp.UtcDateTime);
            SyncDirectory(Path.GetDirectoryName(physical)!, timestamp);
        }
    }

    /// <summary>A changed directory takes the edit's time (as HDFS sets a parent's mtime) and is fsynced so the change is durable.</summary>
    private static void SyncDirectory(string physical, DateTimeOffset timestamp)
    {
        Directory.SetLastWriteTimeUtc(physical, timestamp.UtcDateTime);
        DirectorySync.Flush(physical);
    }

    private static void DeleteQuietly(string physical)
    {
        try
        {
            if (Directory.Exists(physical))
            {
                Directory.Delete(physical, recursive: true);
            }
            else
            {
                File.Delete(physical);
            }
        }
        catch (IOException)
        {
            // already invisible; tmp/ is emptied on the next open
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Re-applies, in txid order, the edits a crash may have left logged and not applied: the last edit, or when it is a
    /// Create, the trailing Creates a group commit may have logged together. A Create already applied is a no-op (its
    /// staged file, named for it alone, is gone), so re-applying Creates of earlier groups changes nothing.
    /// </summary>
    private void Recover(IEnumerable<LoggedEdit> trailing)
    {
        foreach (var logged in trailing)
        {
            var before = StateOf(logged.Edit);
            Apply(logged);
            if (StateOf(logged.Edit) != before)
            {
                NamespacesLog.LastEditRedone(_logger, Name, logged.Edit.TxId.Value, logged.Edit.Op.ToString(), logged.Edit.Path);
            }
        }
    }

    private (bool, bool, ulong?) StateOf(EditRecord edit) =>
        (Exists(PhysicalUnchecked(edit.Path)),
         edit.Destination is not null && Exists(PhysicalUnchecked(edit.Destination)),
         edit.Op == EditOp.Exchange ? AtomicExchange.InodeOf(PhysicalUnchecked(edit.Path)) : null);

    private void CleanTemporaryFiles()
    {
        var count = 0;
        foreach (var entry in new DirectoryInfo(_tmp).EnumerateFileSystemInfos())
        {
            DeleteQuietly(entry.FullName);
            count++;
        }

        if (count > 0)
        {
            NamespacesLog.StaleTempRemoved(_logger, Name, count);
        }
    }

    private void RefreshIfReadOnly()
    {
        if (!_readOnly || _disposed)
        {
            return;
        }

        lock (_stateGate)
        {
            _log.Refresh(logged => _versions.Apply(logged.Edit));
            Volatile.Write(ref _lastTxId, _log.LastTxId);
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

    /// <summary>
    /// The on-disk path of a normalized namespace path, refusing symbolic links anywhere on the way (a link could lead
    /// out of the root). Components past the first missing one cannot be links.
    /// </summary>
    private string Resolve(string normalized, string original)
    {
        if (normalized == NamespacePath.Root)
        {
            return _files;
        }

        var current = _files;
        var checking = true;
        var prefix = string.Empty;
        foreach (var part in normalized[1..].Split('/'))
        {
            current = Path.Join(current, part);
            prefix += "/" + part;
            if (!checking)
            {
                continue;
            }

            var attributes = new FileInfo(current).Attributes;
            if ((int)attributes == -1)
            {
                checking = false;
            }
            else if (attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                throw new NamespacePathException($"{Name}:{prefix} is a symbolic link; links are refused because they can lead outside the namespace", original);
            }
        }

        return current;
    }

    private string PhysicalUnchecked(string normalized) =>
        normalized == NamespacePath.Root ? _files : Path.Join(_files, normalized[1..]);

    private void RequireNoFileAncestor(string normalized)
    {
        foreach (var ancestor in NamespacePath.Ancestors(normalized))
        {
            if (ancestor != NamespacePath.Root && File.Exists(PhysicalUnchecked(ancestor)))
            {
                throw new IOException($"{Name}:{ancestor} is a file, so {normalized} cannot be created under it.");
            }
        }
    }

    private NamespaceEntry Entry(string normalized, FileSystemInfo info)
    {
        TxId tx;
        lock (_stateGate)
        {
            tx = _versions.Get(normalized);
        }

        var isDirectory = info is DirectoryInfo;
        return new NamespaceEntry(normalized, isDirectory, isDirectory ? 0 : ((FileInfo)info).Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), tx);
    }

    private FileNotFoundException NotFound(string normalized) => new($"{Name}:{normalized} does not exist.");

    /// <summary>A Create waiting for group commit: its path, its validation, and its outcome.</summary>
    private sealed class QueuedCreate(string path, Func<long, DateTimeOffset, LoggedEdit?> prepare)
    {
        public string Path { get; } = path;

        public Func<long, DateTimeOffset, LoggedEdit?> Prepare { get; } = prepare;

        public TaskCompletionSource<EditRecord?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>A group took it (set under the queue's lock); from then on its outcome is the group's.</summary>
        public bool Taken { get; set; }
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
