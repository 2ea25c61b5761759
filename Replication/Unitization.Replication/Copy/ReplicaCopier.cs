using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Hashing;
using Microsoft.Extensions.Logging;
using Unitization.Analytics.Traffic;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;
using Unitization.Replication.Telemetry;
using Unitization.Replication.Versions;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Copy;

/// <summary>
/// Publishes one replica atomically: copy the source tree into a staging folder of the target namespace (every chunk
/// paid for from the link's budget), verify each file's size and checksum against the source, make sure the source did
/// not change meanwhile, then one atomic step into place (a rename for a first replica, an exchange with the existing
/// replica otherwise: see <see cref="PublishAsync"/>) and the commit record carrying the source txid the copy reflects.
/// Until that step the replica path shows the previous replica or nothing; a crash leaves only staging, removed on
/// restart. Between two namespaces on this host (<see cref="ILocalFileAccess"/>) the bytes are copied inside the kernel and the
/// staged files are made durable together before the publish (with <c>syncStagedData</c>, the default; without it they
/// are left to the kernel's writeback, as HDFS's <c>dfs.datanode.synconclose=false</c> does; with
/// <c>dropCacheBehindWrites</c> a durable copy drops the replica's pages behind it, as HDFS's
/// <c>dfs.datanode.drop.cache.behind.writes</c> does); any other pair of
/// namespaces is copied through streams, each file made durable as its namespace's Create does.
/// </summary>
internal sealed class ReplicaCopier(
    IReplicaVersionStore versions,
    IBandwidthBudget? budget,
    ITrafficRecorder? traffic,
    TimeProvider time,
    ILogger<ReplicaCopier> logger,
    bool syncStagedData = true,
    bool dropCacheBehindWrites = false,
    ReplicationMetrics? metrics = null,
    TimeSpan? replicaSwapGrace = null)
{
    private const int MaxSourceChangeRetries = 5;

    /// <summary>XXH128 is 16 bytes; a 64-digit checksum is an older log's SHA-256.</summary>
    private const int XxHash128HexLength = 32;

    public async Task<CopyOutcome> ReplicateAsync(CopyRequest request, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = ReplicaPath.Normalize(request.Path);
        for (var attempt = 0; ; attempt++)
        {
            var snapshot = request.Source.LastTxId;
            var tree = await NamespaceTree.ListAsync(request.Source, path, cancellationToken).ConfigureAwait(false);
            if (tree is null)
            {
                return new CopyOutcome(CopyResult.SourceMissing, TxId.None, 0, 0);
            }

            var existing = await versions.GetAsync(request.Target.Name, path, cancellationToken).ConfigureAwait(false);
            if (existing is not null && existing.SourceTxId >= tree.LastTxId && await ExistsAsync(request.Target, path, cancellationToken).ConfigureAwait(false))
            {
                ReplicationLog.Skipped(logger, path, request.Target.Name, existing.SourceTxId);
                return new CopyOutcome(CopyResult.AlreadyFresh, existing.SourceTxId, 0, 0);
            }

            var staging = request.StagingFolder.TrimEnd('/') + "/" + Guid.NewGuid().ToString("N");
            IReadOnlyList<ReplicaVersion> withdrawn = [];
            try
            {
                await StageAsync(request, tree, staging, parallelism, cancellationToken).ConfigureAwait(false);
                if (await ChangedSinceAsync(request.Source, path, snapshot, cancellationToken).ConfigureAwait(false))
                {
                    ReplicationLog.SourceChanged(logger, path);
                    await request.Target.DeleteAsync(staging, recursive: true, cancellationToken).ConfigureAwait(false);
                    if (attempt + 1 >= MaxSourceChangeRetries)
                    {
                        throw new CopyVerificationException($"{request.Source.Name}:{path} kept changing during {MaxSourceChangeRetries} copies.") { SourceChanged = true };
                    }

                    continue;
                }

                await PublishAsync(
                    request.Target, staging, path, request.StagingFolder, async ct => withdrawn = await RetractForSwapAsync(request.Target, path, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (ex is not OperationCanceledException)
                {
                    metrics?.CopyFailed(request.Source.Name, request.Target.Name);
                }

                await DeleteQuietlyAsync(request.Target, staging).ConfigureAwait(false);
                throw;
            }

            var version = new ReplicaVersion(request.Target.Name, path, snapshot, time.GetUtcNow());
            await versions.RecordAsync(version, cancellationToken).ConfigureAwait(false);
            foreach (var ancestor in withdrawn)
            {
                await versions.RecordAsync(ancestor, cancellationToken).ConfigureAwait(false);
            }

            traffic?.Record(new TrafficRecord(
                Guid.NewGuid().ToString("N"), request.Tenant, request.Source.Name, request.Target.Name, tree.Bytes, "replicate", "replicator", time.GetUtcNow()));
            metrics?.Copied(request.Source.Name, request.Target.Name, tree.Bytes);
            ReplicationLog.Replicated(logger, path, request.Source.Name, request.Target.Name, snapshot, tree.Files.Count, tree.Bytes);
            return new CopyOutcome(CopyResult.Copied, snapshot, tree.Files.Count, tree.Bytes);
        }
    }

    /// <summary>
    /// Deletes a replica and its commit records (its own and any below it): the records go first (a replica without a
    /// record is stale to the router, never the other way round), then one rename takes the replica out of sight into
    /// <paramref name="trashFolder"/>, and only then are its files deleted.
    /// </summary>
    public async Task<bool> DeleteReplicaAsync(INamespace target, string path, string trashFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        path = ReplicaPath.Normalize(path);
        foreach (var version in await versions.ListAsync(target.Name, path, cancellationToken).ConfigureAwait(false))
        {
            await versions.RemoveAsync(target.Name, version.Path, cancellationToken).ConfigureAwait(false);
        }

        if (!await ExistsAsync(target, path, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var trash = trashFolder.TrimEnd('/') + "/trash-" + Guid.NewGuid().ToString("N");
        await target.MkdirsAsync(trashFolder, cancellationToken).ConfigureAwait(false);
        await target.RenameAsync(path, trash, cancellationToken).ConfigureAwait(false);
        await target.DeleteAsync(trash, recursive: true, cancellationToken).ConfigureAwait(false);
        ReplicationLog.Deleted(logger, path, target.Name);
        return true;
    }

    /// <summary>Copies the tree into <paramref name="staging"/> and verifies every file; throws when a file does not match.</summary>
    public async Task StageAsync(CopyRequest request, NamespaceTree tree, string staging, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(tree);
        var link = new LinkId(request.Source.Name, request.Target.Name);
        await request.Target.MkdirsAsync(staging, cancellationToken).ConfigureAwait(false);
        foreach (var directory in tree.Directories)
        {
            await request.Target.MkdirsAsync(staging + "/" + tree.Relative(directory), cancellationToken).ConfigureAwait(false);
        }

        var root = tree.Root.IsDirectory ? null : staging + "/" + LastSegment(tree.Root.Path);
        var files = tree.Files.Select(file => (Source: file, Destination: root ?? staging + "/" + tree.Relative(file.Path))).ToList();
        parallelism = Math.Max(1, parallelism);

        // between local namespaces a file's copy holds one of the copy slots only while its bytes move: its Create, waiting
        // for the edit log's fsync (shared by the Creates waiting with it), lets the next file's copy start meanwhile
        using var copySlots = new SemaphoreSlim(parallelism);
        var local = IsLocalPair(request, out _, out _);
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = local ? 2 * parallelism : parallelism, CancellationToken = cancellationToken },
            async (file, ct) => await CopyFileAsync(request, link, file.Source, file.Destination, syncData: false, local ? copySlots : null, ct).ConfigureAwait(false)).ConfigureAwait(false);
        if (syncStagedData && IsLocalPair(request, out _, out var target))
        {
            // the files were staged without their own fsync: all of them durable now, before the publish and its record
            await target.SyncFilesAsync(files.ConvertAll(file => file.Destination), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Copies one file to <paramref name="destination"/> and verifies it: one read pass of the source writes the bytes
    /// and hashes them (XXH128); then the length read must equal the listed length and the length the target stored, and
    /// the staged file, read back from the target, must hash the same. The target namespace's own checksum (XXH128 in
    /// its Create edit for a local namespace) is recorded by it as before; the copier does not compute a second one.
    /// </summary>
    /// <remarks>A file staged on its own (a migration checkpoints each one) is durable when this returns, unless <c>syncStagedData</c> is off.</remarks>
    public Task CopyFileAsync(CopyRequest request, LinkId link, NamespaceEntry file, string destination, CancellationToken cancellationToken) =>
        CopyFileAsync(request, link, file, destination, syncStagedData, copySlots: null, cancellationToken);

    private async Task CopyFileAsync(
        CopyRequest request, LinkId link, NamespaceEntry file, string destination, bool syncData, SemaphoreSlim? copySlots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(file);
        if (IsLocalPair(request, out var source, out var target))
        {
            await CopyLocalFileAsync(request, source, target, link, file, destination, syncData, copySlots, cancellationToken).ConfigureAwait(false);
            return;
        }

        var hash = new XxHash128();
        long copied = 0;
        var edit = await request.Target.CreateAsync(
            destination,
            async (output, ct) =>
            {
                hash.Reset();
                await using var input = await request.Source.OpenReadAsync(file.Path, ct).ConfigureAwait(false);
                copied = await BudgetedCopy.CopyAsync(input, output, hash, request.Budget ?? budget, link, request.Priority, request.Tenant, long.MaxValue, request.BytesCopied, ct).ConfigureAwait(false);
            },
            overwrite: true,
            cancellationToken).ConfigureAwait(false);
        if (copied != file.Length)
        {
            throw new CopyVerificationException($"{request.Source.Name}:{file.Path} was listed with {file.Length} bytes but {copied} were read.") { SourceChanged = true };
        }

        if (edit.Size != copied)
        {
            throw new CopyVerificationException($"{request.Target.Name}:{destination} stored {edit.Size} bytes but {copied} were written from {request.Source.Name}:{file.Path}.");
        }

        if (await StoredChecksumVerification.MatchAsync(request, file, destination, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var read = hash.GetCurrentHashAsUInt128();
        var staged = await StagedContent.HashAsync(request.Target, destination, cancellationToken).ConfigureAwait(false);
        if (staged.Length != copied || staged.Hash != read)
        {
            throw new CopyVerificationException(
                $"{request.Target.Name}:{destination} reads back as XXH128 {staged.Hash:x32} ({staged.Length} bytes) " +
                $"but {request.Source.Name}:{file.Path} read as {read:x32} ({copied} bytes).");
        }
    }

    /// <summary>
    /// The kernel copy of one file between two namespaces on this host (<see cref="LocalFileCopy"/>), verified as the
    /// stream copy is: the length copied must equal the listed length and the length the target stored, and the
    /// checksum the target namespace logs with its Create edit, which it computes by reading the staged file back, must
    /// equal the XXH128 of the source's bytes. That is the checksum the source logged when it created the file, when
    /// the file has not changed since it was listed (its txid is the listed one, and before the publish
    /// <see cref="ChangedSinceAsync"/> checks that no edit touched it during the copy), as DistCp compares the source's
    /// stored checksum; otherwise (no XXH128 logged, an older log's SHA-256) the source is hashed as it is copied. A
    /// mismatch against a logged checksum hashes the source again, to say whether the source's bytes or the copy are
    /// wrong. Without <paramref name="syncData"/> the data is fsynced later, with the other staged files
    /// (<see cref="StageAsync"/>), or not at all when <c>syncStagedData</c> is off. The kernel copy holds one of
    /// <paramref name="copySlots"/>, when given, while it runs.
    /// </summary>
    private async Task CopyLocalFileAsync(
        CopyRequest request, ILocalFileAccess source, ILocalFileAccess target, LinkId link, NamespaceEntry file, string destination, bool syncData, SemaphoreSlim? copySlots,
        CancellationToken cancellationToken)
    {
        var logged = source.GetLoggedChecksum(file.Path) is { } known && known.TxId == file.LastTxId && known.Checksum.Length == XxHash128HexLength
            ? known.Checksum
            : null;
        (long Copied, string? Hash) read = (0, null);
        using var input = source.OpenReadHandle(file.Path);
        var edit = await target.CreateFromHandleAsync(
            destination,
            async (output, readBack, ct) =>
            {
                if (copySlots is not null)
                {
                    await copySlots.WaitAsync(ct).ConfigureAwait(false);
                }

                try
                {
                    read = await LocalFileCopy.CopyAsync(
                        input,
                        sourceOffset: 0,
                        file.Length,
                        wholeFile: true,
                        output,
                        readBack,
                        startWriteback: syncStagedData,
                        dropBehind: dropCacheBehindWrites,
                        hashSource: logged is null,
                        request.Budget ?? budget,
                        link,
                        request.Priority,
                        request.Tenant,
                        request.BytesCopied,
                        ct).ConfigureAwait(false);
                }
                finally
                {
                    copySlots?.Release();
                }
            },
            overwrite: true,
            syncData,
            cancellationToken).ConfigureAwait(false);
        if (read.Copied != file.Length)
        {
            throw new CopyVerificationException($"{request.Source.Name}:{file.Path} was listed with {file.Length} bytes but has {read.Copied}.") { SourceChanged = true };
        }

        var expected = read.Hash ?? logged!;
        if (edit.Size == read.Copied && string.Equals(edit.Checksum, expected, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (logged is not null)
        {
            var (hash, _) = await StagedContent.HashAsync(request.Source, file.Path, cancellationToken).ConfigureAwait(false);
            var actual = hash.ToString("x32", CultureInfo.InvariantCulture);
            if (actual != logged)
            {
                throw new CopyVerificationException(
                    $"{request.Source.Name}:{file.Path} reads as XXH128 {actual} but its Create edit logged {logged}: the file changed outside " +
                    "the namespace or is corrupt, so it is not replicated.");
            }
        }

        throw new CopyVerificationException(
            $"{request.Target.Name}:{destination} reads back as {edit.Checksum} ({edit.Size} bytes) " +
            $"but {request.Source.Name}:{file.Path} {(read.Hash is null ? "was logged as" : "read as")} XXH128 {expected} ({read.Copied} bytes).");
    }

    /// <summary>
    /// Copies <paramref name="length"/> bytes of <paramref name="file"/> from <paramref name="offset"/> into the new
    /// file <paramref name="destination"/> (one chunk of a big file: <see cref="ChunkedCopy"/>), every chunk paid from the
    /// budget as any copy is, and verifies it: the target must store exactly the bytes read from the source (its
    /// checksum, or the part read back, against the XXH128 of the source's bytes). Returns that XXH128 as lowercase hex.
    /// The part is durable when this returns, unless <c>syncStagedData</c> is off.
    /// </summary>
    public async Task<string> CopyRangeAsync(CopyRequest request, LinkId link, NamespaceEntry file, long offset, long length, string destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(file);
        string expected;
        long copied;
        if (IsLocalPair(request, out var source, out var target))
        {
            (long Copied, string? Hash) read = (0, null);
            using var input = source.OpenReadHandle(file.Path);
            var edit = await target.CreateFromHandleAsync(
                destination,
                async (output, readBack, ct) => read = await LocalFileCopy.CopyAsync(
                    input, offset, length, wholeFile: false, output, readBack, startWriteback: syncStagedData, dropBehind: false, hashSource: true,
                    request.Budget ?? budget, link, request.Priority, request.Tenant, request.BytesCopied, ct).ConfigureAwait(false),
                overwrite: true,
                syncStagedData,
                cancellationToken).ConfigureAwait(false);
            (copied, expected) = (read.Copied, read.Hash!);
            if (copied == length && (edit.Size != copied || !string.Equals(edit.Checksum, expected, StringComparison.OrdinalIgnoreCase)))
            {
                throw new CopyVerificationException(
                    $"{request.Target.Name}:{destination} reads back as {edit.Checksum} ({edit.Size} bytes) but bytes {offset}-{offset + length} of {request.Source.Name}:{file.Path} read as XXH128 {expected}.");
            }
        }
        else
        {
            var hash = new XxHash128();
            long written = 0;
            var edit = await request.Target.CreateAsync(
                destination,
                async (output, ct) =>
                {
                    hash.Reset();
                    var input = await request.Source.OpenReadAsync(file.Path, ct).ConfigureAwait(false);
                    await using (input.ConfigureAwait(false))
                    {
                        await SkipAsync(input, offset, request.Budget ?? budget, link, request, ct).ConfigureAwait(false);
                        written = await BudgetedCopy.CopyAsync(input, output, hash, request.Budget ?? budget, link, request.Priority, request.Tenant, length, request.BytesCopied, ct).ConfigureAwait(false);
                    }
                },
                overwrite: true,
                cancellationToken).ConfigureAwait(false);
            (copied, expected) = (written, Convert.ToHexStringLower(hash.GetCurrentHash()));
            if (copied == length)
            {
                var staged = await StagedContent.HashAsync(request.Target, destination, cancellationToken).ConfigureAwait(false);
                if (edit.Size != copied || staged.Length != copied || staged.Hash != hash.GetCurrentHashAsUInt128())
                {
                    throw new CopyVerificationException(
                        $"{request.Target.Name}:{destination} reads back as XXH128 {staged.Hash:x32} ({staged.Length} bytes) but bytes {offset}-{offset + length} of {request.Source.Name}:{file.Path} read as {expected}.");
                }
            }
        }

        if (copied != length)
        {
            throw new CopyVerificationException($"{request.Source.Name}:{file.Path} ended before byte {offset + length} (it was listed with {file.Length} bytes).") { SourceChanged = true };
        }

        return expected;
    }

    /// <summary>Moves a source stream to <paramref name="offset"/>: a seek when it can, else reading (and paying for) the bytes before it.</summary>
    private static async Task SkipAsync(Stream input, long offset, IBandwidthBudget? budget, LinkId link, CopyRequest request, CancellationToken cancellationToken)
    {
        if (offset == 0)
        {
            return;
        }

        if (input.CanSeek)
        {
            input.Seek(offset, SeekOrigin.Begin);
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BudgetedCopy.ChunkSize);
        try
        {
            var left = offset;
            while (left > 0)
            {
                var n = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(left, BudgetedCopy.ChunkSize)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                if (budget is not null)
                {
                    await budget.AcquireAsync(link, request.Priority, request.Tenant, n, cancellationToken).ConfigureAwait(false);
                }

                left -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Both namespaces keep their files on this host, so the copy can stay in the kernel.</summary>
    private static bool IsLocalPair(CopyRequest request, [NotNullWhen(true)] out ILocalFileAccess? source, [NotNullWhen(true)] out ILocalFileAccess? target)
    {
        source = request.Source as ILocalFileAccess;
        target = request.Target as ILocalFileAccess;
        return source is not null && target is not null;
    }

    /// <summary>
    /// Moves a verified staging folder into place. A first replica takes one rename. An existing replica is replaced by
    /// one exchange of <paramref name="staging"/> and <paramref name="path"/> (readers of the path find the old replica
    /// and then the new one, never nothing and never a mix), after which the staging path, now holding the old replica,
    /// is deleted. The one exception is a namespace that cannot exchange (<see cref="INamespace.ExchangeAsync"/> throws
    /// <see cref="NotSupportedException"/> before changing anything: a local file system without renameat2
    /// RENAME_EXCHANGE, or HDFS, which has no swap): there <paramref name="beforeRenames"/> runs first (the replicator
    /// retracts the replica from the routers' view: <see cref="RetractForSwapAsync"/>), then the old replica goes aside
    /// into trash under <paramref name="stagingFolder"/> and staging is renamed into place, two renames with a moment
    /// between them when the path does not exist, during which no router sends a reader there.
    /// </summary>
    public static async Task PublishAsync(
        INamespace target, string staging, string path, string stagingFolder, Func<CancellationToken, Task>? beforeRenames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var parent = Parent(path);
        if (parent != "/")
        {
            await target.MkdirsAsync(parent, cancellationToken).ConfigureAwait(false);
        }

        if (!await ExistsAsync(target, path, cancellationToken).ConfigureAwait(false))
        {
            await target.RenameAsync(staging, path, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await target.ExchangeAsync(staging, path, cancellationToken).ConfigureAwait(false);
        }
        catch (NotSupportedException)
        {
            if (beforeRenames is not null)
            {
                await beforeRenames(cancellationToken).ConfigureAwait(false);
            }

            var trash = stagingFolder.TrimEnd('/') + "/trash-" + Guid.NewGuid().ToString("N");
            await target.RenameAsync(path, trash, cancellationToken).ConfigureAwait(false);
            await target.RenameAsync(staging, path, cancellationToken).ConfigureAwait(false);
            await target.DeleteAsync(trash, recursive: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        await target.DeleteAsync(staging, recursive: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="PublishAsync(INamespace, string, string, string, Func{CancellationToken, Task}?, CancellationToken)"/>
    public static Task PublishAsync(INamespace target, string staging, string path, string stagingFolder, CancellationToken cancellationToken) =>
        PublishAsync(target, staging, path, stagingFolder, beforeRenames: null, cancellationToken);

    /// <summary>
    /// Takes a replica out of the routers' view before it is replaced by two renames: every commit record that covers
    /// it is removed (its own, any below it, and any above it: a router takes the nearest record at or above a path, so
    /// a table's record would otherwise go on vouching for a partition being swapped), so a router resolves reads of it
    /// to the primary or another fresh copy from its next refresh on (a router that cannot refresh drops all its
    /// records after <c>Router:ReplicaRecordsMaxAge</c>); then the replicator waits <c>replicaSwapGrace</c> (longer
    /// than that, plus a reader's resolve-to-open time) before the old copy moves. A reader through the routers thus
    /// finds the old replica, then the primary's copy, then the new replica (its record written after the publish),
    /// never nothing. Returns the records above the path, which the caller writes back after the new record. A crash
    /// in between leaves the replica (and its ancestors) without a record, which no router serves and the next copy
    /// replaces.
    /// </summary>
    private async Task<IReadOnlyList<ReplicaVersion>> RetractForSwapAsync(INamespace target, string path, CancellationToken cancellationToken)
    {
        var ancestors = new List<ReplicaVersion>();
        for (var above = Parent(path); ; above = Parent(above))
        {
            if (await versions.GetAsync(target.Name, above, cancellationToken).ConfigureAwait(false) is { } record)
            {
                ancestors.Add(record);
                await versions.RemoveAsync(target.Name, record.Path, cancellationToken).ConfigureAwait(false);
            }

            if (above == "/")
            {
                break;
            }
        }

        foreach (var version in await versions.ListAsync(target.Name, path, cancellationToken).ConfigureAwait(false))
        {
            await versions.RemoveAsync(target.Name, version.Path, cancellationToken).ConfigureAwait(false);
        }

        var grace = replicaSwapGrace ?? TimeSpan.FromSeconds(5);
        ReplicationLog.RetractedForSwap(logger, path, target.Name, (long)grace.TotalMilliseconds);
        if (grace > TimeSpan.Zero)
        {
            await Task.Delay(grace, time, cancellationToken).ConfigureAwait(false);
        }

        return ancestors;
    }

    /// <summary>
    /// Whether the target's edit log shows <paramref name="staging"/> published at <paramref name="path"/> after
    /// <paramref name="after"/>: renamed onto it, or exchanged with it (<see cref="PublishAsync"/>'s two ways).
    /// </summary>
    internal static async Task<bool> PublishedSinceAsync(INamespace target, string staging, string path, TxId after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        await foreach (var edit in target.EditsSinceAsync(after, follow: false, cancellationToken).ConfigureAwait(false))
        {
            var published = edit.Op switch
            {
                EditOp.Rename => edit.Path == staging && edit.Destination == path,
                EditOp.Exchange => (edit.Path == staging && edit.Destination == path) || (edit.Path == path && edit.Destination == staging),
                _ => false,
            };
            if (published)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether an edit after <paramref name="snapshot"/> touched <paramref name="path"/>: at, below or above it, through
    /// either of its paths (a rename's source and destination, an exchange's two sides).
    /// </summary>
    internal static async Task<bool> ChangedSinceAsync(INamespace source, string path, TxId snapshot, CancellationToken cancellationToken)
    {
        await foreach (var edit in source.EditsSinceAsync(snapshot, follow: false, cancellationToken).ConfigureAwait(false))
        {
            if (NamespaceTree.IsUnder(edit.Path, path) || NamespaceTree.IsUnder(path, edit.Path)
                || (edit.Destination is not null && (NamespaceTree.IsUnder(edit.Destination, path) || NamespaceTree.IsUnder(path, edit.Destination))))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<bool> ExistsAsync(INamespace ns, string path, CancellationToken cancellationToken) =>
        await ns.GetStatusAsync(path, cancellationToken).ConfigureAwait(false) is not null;

    private static async Task DeleteQuietlyAsync(INamespace target, string staging)
    {
        try
        {
            await target.DeleteAsync(staging, recursive: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // staging is swept on the next start
        }
    }

    private static string Parent(string path)
    {
        var i = path.LastIndexOf('/');
        return i <= 0 ? "/" : path[..i];
    }

    private static string LastSegment(string path) => path[(path.LastIndexOf('/') + 1)..];
}
