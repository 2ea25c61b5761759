using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.Replication.Copy;
using Unitization.Replication.Versions;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Client;

namespace Unitization.Replication.Migration;

/// <summary>
/// Batch migration of a historical snapshot: freeze the snapshot point (the source's txid), list, copy every file into
/// a staging folder of the target (verified by checksum, checkpointed per file, and a file larger than
/// <see cref="ReplicationOptions.MigrationChunkSize"/> per chunk, so a killed run resumes from the last verified
/// chunk), then catch up with what the source's edit log shows after the snapshot, publish atomically (one rename, or
/// one exchange with a replica already there), and record the replica version at the txid the catch-up reached. A
/// target that already holds the snapshot (same files, sizes and checksums) is recorded as it is and nothing is copied.
/// </summary>
internal sealed class MigrationRunner(
    ReplicaCopier copier, IReplicaVersionStore versions, TimeProvider time, IOptions<ReplicationOptions> options, ILogger<MigrationRunner> logger)
{
    private const int MaxCatchUpRounds = 20;

    public async Task<MigrationProgress> RunAsync(
        MigrationSpec spec,
        INamespace source,
        INamespace target,
        string checkpointRoot,
        string workRoot,
        IBandwidthBudget? budget,
        IProgress<MigrationProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var path = ReplicaPath.Normalize(spec.Path);
        var checkpoint = new MigrationCheckpoint(Path.Join(checkpointRoot, spec.Id));
        var staging = StagingPath(workRoot, spec);
        var parts = staging + ".parts";
        var request = new CopyRequest(source, target, path, "migrate:" + path, spec.Priority, staging, budget);
        var link = new LinkId(source.Name, target.Name);
        var meter = new MigrationMeter(spec, time, progress);

        var listing = await checkpoint.ReadListingAsync(cancellationToken).ConfigureAwait(false);
        if (listing is null || !listing.Spec.SameCopyAs(spec))
        {
            meter.Report(MigrationPhase.Listing);
            var snapshot = source.LastTxId;
            var tree = await NamespaceTree.ListAsync(source, path, cancellationToken).ConfigureAwait(false)
                ?? throw new FileNotFoundException($"{source.Name}:{path} does not exist.");
            if (await TargetHoldsAsync(source, target, tree, path, cancellationToken).ConfigureAwait(false)
                && !await ReplicaCopier.ChangedSinceAsync(source, path, snapshot, cancellationToken).ConfigureAwait(false))
            {
                return await AlreadyThereAsync(spec, target, path, checkpoint, snapshot, tree, meter, cancellationToken).ConfigureAwait(false);
            }

            listing = new MigrationCheckpoint.Listing(
                spec,
                snapshot.Value,
                tree.Files.Select(f => new MigrationCheckpoint.ListedFile(Relative(tree, f.Path), f.Length)).ToList(),
                tree.Directories.Select(d => tree.Relative(d)).ToList());
            await target.DeleteAsync(staging, recursive: true, cancellationToken).ConfigureAwait(false);
            await target.DeleteAsync(parts, recursive: true, cancellationToken).ConfigureAwait(false);
            checkpoint.Reset();
            await checkpoint.WriteListingAsync(listing, cancellationToken).ConfigureAwait(false);
            ReplicationLog.MigrationPhase(logger, spec.Id, $"snapshot at txid {snapshot}: {listing.Files.Count} files");
        }

        var done = checkpoint.ReadDone();
        meter.Start(listing, done);

        var stagingFolder = $"{workRoot.TrimEnd('/')}/staging";
        if (await checkpoint.ReadPublishingAsync(cancellationToken).ConfigureAwait(false) is { } interrupted)
        {
            // killed while publishing: the staged copy was complete; publish it unless the target's log shows it was
            meter.Report(MigrationPhase.Publishing, interrupted.ReachedTxId);
            if (await ReplicaCopier.PublishedSinceAsync(target, staging, path, new TxId(interrupted.TargetTxIdBefore), cancellationToken).ConfigureAwait(false))
            {
                // what staging holds now is the replica an exchange swapped out (or nothing)
                await target.DeleteAsync(staging, recursive: true, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ReplicaCopier.PublishAsync(target, staging, path, stagingFolder, cancellationToken).ConfigureAwait(false);
            }

            return await FinishAsync(spec, target, path, parts, checkpoint, new TxId(interrupted.ReachedTxId), meter, cancellationToken).ConfigureAwait(false);
        }

        await target.MkdirsAsync(staging, cancellationToken).ConfigureAwait(false);
        foreach (var directory in listing.Directories)
        {
            await target.MkdirsAsync(Join(staging, directory), cancellationToken).ConfigureAwait(false);
        }

        // chunks verified by an earlier run count as done, not as copied
        var chunkSize = options.Value.MigrationChunkSize;
        var chunked = new Dictionary<string, IReadOnlyList<MigrationCheckpoint.VerifiedChunk>>(StringComparer.Ordinal);
        foreach (var file in listing.Files.Where(f => f.Length > chunkSize && !done.Contains(f.Relative)))
        {
            var verified = await VerifiedChunksAsync(target, checkpoint, parts, file, cancellationToken).ConfigureAwait(false);
            chunked[file.Relative] = verified;
            meter.Skipped(verified.Sum(c => c.Length));
        }

        meter.Report(MigrationPhase.Copying);
        await using (var doneLog = checkpoint.OpenDoneLog())
        {
            await Parallel.ForEachAsync(
                listing.Files.Where(f => !done.Contains(f.Relative)),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, spec.Parallel), CancellationToken = cancellationToken },
                async (file, ct) =>
                {
                    var entry = new NamespaceEntry(Join(path, file.Relative), false, file.Length, DateTimeOffset.UnixEpoch, TxId.None);
                    var tally = meter.File(file.Length, chunked.TryGetValue(file.Relative, out var kept) ? kept.Sum(c => c.Length) : 0);
                    var fileRequest = request with { BytesCopied = tally };
                    try
                    {
                        if (chunked.TryGetValue(file.Relative, out var verified))
                        {
                            await CopyInChunksAsync(fileRequest, link, entry, file, verified, Join(staging, file.Relative), parts, checkpoint, chunkSize, ct).ConfigureAwait(false);
                        }
                        else
                        {
                            await copier.CopyFileAsync(fileRequest, link, entry, Join(staging, file.Relative), ct).ConfigureAwait(false);
                        }
                    }
                    catch (Exception ex) when (ex is FileNotFoundException or CopyVerificationException { SourceChanged: true } or NamespacePathException)
                    {
                        // changed or removed after the snapshot: the catch-up from the edit log settles it (a staged file
                        // that does not read back as the source's bytes is not a change of the source: that one fails).
                        // A source the log shows untouched since the snapshot did not change: the failure is the copy's.
                        if (await source.GetStatusAsync(entry.Path, ct).ConfigureAwait(false) is { } now && now.LastTxId.Value <= listing.SnapshotTxId)
                        {
                            throw;
                        }
                    }

                    meter.FileDone(tally, () =>
                    {
                        doneLog.WriteLine(file.Relative);
                        doneLog.Flush();
                    });
                }).ConfigureAwait(false);
        }

        meter.Report(MigrationPhase.CatchingUp);
        var reached = await CatchUpAsync(request with { BytesCopied = meter.Untallied }, link, new TxId(listing.SnapshotTxId), cancellationToken).ConfigureAwait(false);

        meter.Report(MigrationPhase.Publishing, reached.Value);
        await checkpoint.WritePublishingAsync(new MigrationCheckpoint.Publishing(target.LastTxId.Value, reached.Value), cancellationToken).ConfigureAwait(false);
        await ReplicaCopier.PublishAsync(target, staging, path, stagingFolder, cancellationToken).ConfigureAwait(false);
        return await FinishAsync(spec, target, path, parts, checkpoint, reached, meter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a migration's checkpoint holds (files and chunks already verified in the target's staging), for the message when it is interrupted.</summary>
    public static MigrationKept DescribeKept(MigrationSpec spec, string checkpointRoot, long chunkSize)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var folder = Path.Join(checkpointRoot, spec.Id);
        var checkpoint = MigrationCheckpoint.OpenExisting(folder);
        var listing = checkpoint?.ReadListing();
        if (checkpoint is null || listing is null)
        {
            return new MigrationKept(folder, 0, 0, 0, 0, 0);
        }

        var done = checkpoint.ReadDone();
        var files = listing.Files.Where(f => done.Contains(f.Relative)).ToList();
        var chunkBytes = listing.Files.Where(f => f.Length > chunkSize && !done.Contains(f.Relative)).Sum(f => checkpoint.ReadChunks(f.Relative).Sum(c => c.Length));
        return new MigrationKept(folder, files.Count, listing.Files.Count, files.Sum(f => f.Length), chunkBytes, listing.Files.Sum(f => f.Length));
    }

    /// <summary>
    /// The budget a migration pays from: the link's (at the migration's priority), with the migration's rate as a cap
    /// inside it when it has one; never a budget beside the link's.
    /// </summary>
    public static IBandwidthBudget? BudgetFor(MigrationSpec spec, IBandwidthBudget? link, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.BytesPerSecond is { } cap ? new CappedBandwidthBudget(link, cap, time) : link;
    }

    internal static string StagingPath(string workRoot, MigrationSpec spec) => $"{workRoot.TrimEnd('/')}/staging/migrate-{spec.Id}";

    /// <summary>
    /// Whether the target already holds what the source's tree holds: the same files (relative paths) and directories,
    /// each file of the same size and checksum (the namespaces' own, when both use the same algorithm; else not the same).
    /// </summary>
    private static async Task<bool> TargetHoldsAsync(INamespace source, INamespace target, NamespaceTree tree, string path, CancellationToken cancellationToken)
    {
        var there = await NamespaceTree.ListAsync(target, path, cancellationToken).ConfigureAwait(false);
        if (there is null || there.Root.IsDirectory != tree.Root.IsDirectory || there.Files.Count != tree.Files.Count
            || !there.Directories.Select(there.Relative).Order(StringComparer.Ordinal).SequenceEqual(tree.Directories.Select(tree.Relative).Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return false;
        }

        var theirs = there.Files.ToDictionary(f => Relative(there, f.Path), StringComparer.Ordinal);
        foreach (var file in tree.Files)
        {
            if (!theirs.TryGetValue(Relative(tree, file.Path), out var copy) || copy.Length != file.Length)
            {
                return false;
            }
        }

        foreach (var file in tree.Files)
        {
            var copy = theirs[Relative(tree, file.Path)];
            var expected = await source.GetChecksumAsync(file.Path, cancellationToken).ConfigureAwait(false);
            var actual = await target.GetChecksumAsync(copy.Path, cancellationToken).ConfigureAwait(false);
            if (expected.Algorithm != actual.Algorithm || !string.Equals(expected.Hex, actual.Hex, StringComparison.OrdinalIgnoreCase) || actual.Length != file.Length)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The target holds the snapshot already: its version is recorded at the snapshot txid, nothing is copied.</summary>
    private async Task<MigrationProgress> AlreadyThereAsync(
        MigrationSpec spec, INamespace target, string path, MigrationCheckpoint checkpoint, TxId snapshot, NamespaceTree tree, MigrationMeter meter, CancellationToken cancellationToken)
    {
        var existing = await versions.GetAsync(target.Name, path, cancellationToken).ConfigureAwait(false);
        if (existing is null || existing.SourceTxId < snapshot)
        {
            await versions.RecordAsync(new ReplicaVersion(target.Name, path, snapshot, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }

        checkpoint.Delete();
        var note = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{target.Name}:{path} already holds the snapshot at txid {snapshot} ({tree.Files.Count} files, {tree.Bytes:N0} bytes, same sizes and checksums): nothing copied");
        ReplicationLog.MigrationPhase(logger, spec.Id, note);
        return meter.AlreadyThere(tree.Files.Count, tree.Bytes, snapshot.Value, note);
    }

    /// <summary>After the publish: the replica's version, then the checkpoint and the chunk parts go.</summary>
    private async Task<MigrationProgress> FinishAsync(
        MigrationSpec spec, INamespace target, string path, string parts, MigrationCheckpoint checkpoint, TxId reached, MigrationMeter meter, CancellationToken cancellationToken)
    {
        await versions.RecordAsync(new ReplicaVersion(target.Name, path, reached, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        await target.DeleteAsync(parts, recursive: true, cancellationToken).ConfigureAwait(false);
        checkpoint.Delete();
        ReplicationLog.MigrationPhase(logger, spec.Id, $"published {target.Name}:{path} at txid {reached}");
        return meter.Done(reached.Value);
    }

    /// <summary>
    /// The chunks of a big file an earlier run verified, as far as they are still intact in the target: each recorded
    /// chunk in order whose part exists with its recorded length and (when the target checksums with XXH128) checksum.
    /// The first one that is not ends the list: the copy resumes there.
    /// </summary>
    private static async Task<IReadOnlyList<MigrationCheckpoint.VerifiedChunk>> VerifiedChunksAsync(
        INamespace target, MigrationCheckpoint checkpoint, string parts, MigrationCheckpoint.ListedFile file, CancellationToken cancellationToken)
    {
        var verified = new List<MigrationCheckpoint.VerifiedChunk>();
        foreach (var chunk in checkpoint.ReadChunks(file.Relative).OrderBy(c => c.Index))
        {
            if (chunk.Index != verified.Count)
            {
                break;
            }

            var part = PartPath(parts, file.Relative, chunk.Index);
            var status = await target.GetStatusAsync(part, cancellationToken).ConfigureAwait(false);
            if (status is null || status.IsDirectory || status.Length != chunk.Length)
            {
                break;
            }

            var checksum = await target.GetChecksumAsync(part, cancellationToken).ConfigureAwait(false);
            if (checksum.Algorithm == ChunkedCopy.Algorithm && !string.Equals(checksum.Hex, chunk.Hash, StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            verified.Add(chunk);
        }

        return verified;
    }

    /// <summary>
    /// Copies a big file chunk by chunk into parts (each one Create of the target, verified against the source's bytes,
    /// then recorded with its checksum in the checkpoint), starting after the chunks already verified, then assembles
    /// the parts into <paramref name="destination"/> and verifies that against the recorded chunk checksums.
    /// </summary>
    private async Task CopyInChunksAsync(
        CopyRequest request, LinkId link, NamespaceEntry entry, MigrationCheckpoint.ListedFile file, IReadOnlyList<MigrationCheckpoint.VerifiedChunk> verified,
        string destination, string parts, MigrationCheckpoint checkpoint, long chunkSize, CancellationToken cancellationToken)
    {
        var chunks = new List<MigrationCheckpoint.VerifiedChunk>(verified);
        var count = (int)((file.Length + chunkSize - 1) / chunkSize);
        await request.Target.MkdirsAsync(PartFolder(parts, file.Relative), cancellationToken).ConfigureAwait(false);
        for (var index = chunks.Count; index < count; index++)
        {
            var offset = index * chunkSize;
            var length = Math.Min(chunkSize, file.Length - offset);
            var hash = await copier.CopyRangeAsync(request, link, entry, offset, length, PartPath(parts, file.Relative, index), cancellationToken).ConfigureAwait(false);
            var chunk = new MigrationCheckpoint.VerifiedChunk(index, length, hash);
            await checkpoint.AppendChunkAsync(file.Relative, chunk, cancellationToken).ConfigureAwait(false);
            chunks.Add(chunk);
        }

        await ChunkedCopy.AssembleAsync(
            request.Target,
            chunks.Select(c => (PartPath(parts, file.Relative, c.Index), c.Length, c.Hash)).ToList(),
            destination,
            cancellationToken).ConfigureAwait(false);
        await request.Target.DeleteAsync(PartFolder(parts, file.Relative), recursive: true, cancellationToken).ConfigureAwait(false);
    }

    private static string PartFolder(string parts, string relative) => $"{parts}/{MigrationCheckpoint.Key(relative)}";

    private static string PartPath(string parts, string relative, int index) => $"{PartFolder(parts, relative)}/{index:D6}";

    /// <summary>Applies the source's edits after <paramref name="from"/> under the path to the staging copy, until none are left.</summary>
    private async Task<TxId> CatchUpAsync(CopyRequest request, LinkId link, TxId from, CancellationToken cancellationToken)
    {
        var path = request.Path;
        var reached = from;
        for (var round = 0; round < MaxCatchUpRounds; round++)
        {
            var upTo = request.Source.LastTxId;
            // each changed source path, and whether its whole subtree was replaced (then the staged copy is redone)
            var changed = new SortedDictionary<string, bool>(StringComparer.Ordinal);
            await foreach (var edit in request.Source.EditsSinceAsync(reached, follow: false, cancellationToken).ConfigureAwait(false))
            {
                if (edit.TxId > upTo)
                {
                    break;
                }

                var replaces = edit.Op is EditOp.Rename or EditOp.Exchange or EditOp.Delete;
                foreach (var touched in edit.Destination is null ? [edit.Path] : new[] { edit.Path, edit.Destination })
                {
                    if (NamespaceTree.IsUnder(touched, path))
                    {
                        changed[touched] = replaces || changed.GetValueOrDefault(touched);
                    }
                    else if (replaces && NamespaceTree.IsUnder(path, touched))
                    {
                        changed[path] = true; // an ancestor was renamed, exchanged or deleted: the whole path changed
                    }
                }
            }

            reached = upTo;
            if (changed.Count == 0)
            {
                return reached;
            }

            foreach (var (changedPath, replaced) in changed)
            {
                await SyncPathAsync(request, link, changedPath, replaced, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new CopyVerificationException($"{request.Source.Name}:{path} kept changing through {MaxCatchUpRounds} catch-up rounds.");
    }

    /// <summary>
    /// Makes the staging copy of one source path match the source now: copy what exists, delete what does not. When
    /// <paramref name="replaced"/> (the path was renamed, exchanged or deleted), the staged subtree is deleted first, so
    /// no file of what was there before stays behind.
    /// </summary>
    private async Task SyncPathAsync(CopyRequest request, LinkId link, string sourcePath, bool replaced, CancellationToken cancellationToken)
    {
        var staged = Join(request.StagingFolder, Relative(request.Path, sourcePath));
        var tree = await NamespaceTree.ListAsync(request.Source, sourcePath, cancellationToken).ConfigureAwait(false);
        if (tree is null || replaced)
        {
            await request.Target.DeleteAsync(staged, recursive: true, cancellationToken).ConfigureAwait(false);
        }

        if (tree is null)
        {
            return;
        }

        if (!tree.Root.IsDirectory)
        {
            await copier.CopyFileAsync(request, link, tree.Root, staged, cancellationToken).ConfigureAwait(false);
            return;
        }

        await request.Target.MkdirsAsync(staged, cancellationToken).ConfigureAwait(false);
        foreach (var directory in tree.Directories)
        {
            await request.Target.MkdirsAsync(Join(staged, tree.Relative(directory)), cancellationToken).ConfigureAwait(false);
        }

        foreach (var file in tree.Files)
        {
            await copier.CopyFileAsync(request, link, file, Join(staged, tree.Relative(file.Path)), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Relative(NamespaceTree tree, string path) => tree.Root.IsDirectory ? tree.Relative(path) : string.Empty;

    private static string Relative(string root, string path) => path.Length <= root.Length ? string.Empty : path[(root.Length + 1)..];

    private static string Join(string folder, string relative) => relative.Length == 0 ? folder : folder.TrimEnd('/') + "/" + relative;
}
