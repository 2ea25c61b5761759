using Microsoft.Extensions.Logging;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.Replication.Copy;
using Unitization.Replication.Versions;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Migration;

/// <summary>
/// Batch migration of a historical snapshot: freeze the snapshot point (the source's txid), list, copy every file into
/// a staging folder of the target (verified by checksum, checkpointed per file so a killed run resumes), then catch
/// up with what the source's edit log shows after the snapshot, publish atomically (one rename, or one exchange with a
/// replica already there), and record the replica version at the txid the catch-up reached.
/// </summary>
internal sealed class MigrationRunner(ReplicaCopier copier, IReplicaVersionStore versions, TimeProvider time, ILogger<MigrationRunner> logger)
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
        var staging = $"{workRoot.TrimEnd('/')}/staging/migrate-{spec.Id}";
        var request = new CopyRequest(source, target, path, "migrate:" + path, TrafficPriority.Low, staging, budget);
        var link = new LinkId(source.Name, target.Name);

        var listing = await checkpoint.ReadListingAsync(cancellationToken).ConfigureAwait(false);
        if (listing is null || listing.Spec with { Parallel = spec.Parallel, BytesPerSecond = spec.BytesPerSecond } != spec)
        {
            Report(progress, spec, MigrationPhase.Listing, 0, 0, 0, 0, 0, null, null);
            var snapshot = source.LastTxId;
            var tree = await NamespaceTree.ListAsync(source, path, cancellationToken).ConfigureAwait(false)
                ?? throw new FileNotFoundException($"{source.Name}:{path} does not exist.");
            listing = new MigrationCheckpoint.Listing(
                spec,
                snapshot.Value,
                tree.Files.Select(f => new MigrationCheckpoint.ListedFile(Relative(tree, f.Path), f.Length)).ToList(),
                tree.Directories.Select(d => tree.Relative(d)).ToList());
            await target.DeleteAsync(staging, recursive: true, cancellationToken).ConfigureAwait(false);
            await checkpoint.WriteListingAsync(listing, cancellationToken).ConfigureAwait(false);
            ReplicationLog.MigrationPhase(logger, spec.Id, $"snapshot at txid {snapshot}: {listing.Files.Count} files");
        }

        var done = checkpoint.ReadDone();
        var bytesTotal = listing.Files.Sum(f => f.Length);
        long bytesDone = listing.Files.Where(f => done.Contains(f.Relative)).Sum(f => f.Length);
        var filesDone = listing.Files.Count(f => done.Contains(f.Relative));
        Report(progress, spec, MigrationPhase.Copying, listing.Files.Count, filesDone, bytesTotal, bytesDone, listing.SnapshotTxId, null, null);

        var stagingFolder = $"{workRoot.TrimEnd('/')}/staging";
        if (await checkpoint.ReadPublishingAsync(cancellationToken).ConfigureAwait(false) is { } interrupted)
        {
            // killed while publishing: the staged copy was complete; publish it unless the target's log shows it was
            Report(progress, spec, MigrationPhase.Publishing, listing.Files.Count, filesDone, bytesTotal, bytesDone, listing.SnapshotTxId, interrupted.ReachedTxId, null);
            if (await ReplicaCopier.PublishedSinceAsync(target, staging, path, new TxId(interrupted.TargetTxIdBefore), cancellationToken).ConfigureAwait(false))
            {
                // what staging holds now is the replica an exchange swapped out (or nothing)
                await target.DeleteAsync(staging, recursive: true, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ReplicaCopier.PublishAsync(target, staging, path, stagingFolder, cancellationToken).ConfigureAwait(false);
            }

            return await FinishAsync(spec, target, path, checkpoint, new TxId(interrupted.ReachedTxId), progress, listing, filesDone, bytesTotal, bytesDone, cancellationToken).ConfigureAwait(false);
        }

        await target.MkdirsAsync(staging, cancellationToken).ConfigureAwait(false);
        foreach (var directory in listing.Directories)
        {
            await target.MkdirsAsync(Join(staging, directory), cancellationToken).ConfigureAwait(false);
        }

        var gate = new Lock();
        await using (var doneLog = checkpoint.OpenDoneLog())
        {
            await Parallel.ForEachAsync(
                listing.Files.Where(f => !done.Contains(f.Relative)),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, spec.Parallel), CancellationToken = cancellationToken },
                async (file, ct) =>
                {
                    var entry = new NamespaceEntry(Join(path, file.Relative), false, file.Length, DateTimeOffset.UnixEpoch, TxId.None);
                    try
                    {
                        await copier.CopyFileAsync(request, link, entry, Join(staging, file.Relative), ct).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is FileNotFoundException or CopyVerificationException { SourceChanged: true } or NamespacePathException)
                    {
                        // changed or removed after the snapshot: the catch-up from the edit log settles it (a staged file
                        // that does not read back as the source's bytes is not a change of the source: that one fails)
                    }

                    lock (gate)
                    {
                        doneLog.WriteLine(file.Relative);
                        doneLog.Flush();
                        filesDone++;
                        bytesDone += file.Length;
                        Report(progress, spec, MigrationPhase.Copying, listing.Files.Count, filesDone, bytesTotal, bytesDone, listing.SnapshotTxId, null, null);
                    }
                }).ConfigureAwait(false);
        }

        Report(progress, spec, MigrationPhase.CatchingUp, listing.Files.Count, filesDone, bytesTotal, bytesDone, listing.SnapshotTxId, null, null);
        var reached = await CatchUpAsync(request, link, new TxId(listing.SnapshotTxId), cancellationToken).ConfigureAwait(false);

        Report(progress, spec, MigrationPhase.Publishing, listing.Files.Count, filesDone, bytesTotal, bytesDone, listing.SnapshotTxId, reached.Value, null);
        await checkpoint.WritePublishingAsync(new MigrationCheckpoint.Publishing(target.LastTxId.Value, reached.Value), cancellationToken).ConfigureAwait(false);
        await ReplicaCopier.PublishAsync(target, staging, path, stagingFolder, cancellationToken).ConfigureAwait(false);
        return await FinishAsync(spec, target, path, checkpoint, reached, progress, listing, filesDone, bytesTotal, bytesDone, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After the publish: the replica's version, then the checkpoint goes.</summary>
    private async Task<MigrationProgress> FinishAsync(
        MigrationSpec spec, INamespace target, string path, MigrationCheckpoint checkpoint, TxId reached, IProgress<MigrationProgress>? progress,
        MigrationCheckpoint.Listing listing, int filesDone, long bytesTotal, long bytesDone, CancellationToken cancellationToken)
    {
        await versions.RecordAsync(new ReplicaVersion(target.Name, path, reached, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        checkpoint.Delete();
        ReplicationLog.MigrationPhase(logger, spec.Id, $"published {target.Name}:{path} at txid {reached}");
        return Report(progress, spec, MigrationPhase.Done, listing.Files.Count, filesDone, bytesTotal, bytesDone, listing.SnapshotTxId, reached.Value, null);
    }

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

    private static MigrationProgress Report(
        IProgress<MigrationProgress>? progress, MigrationSpec spec, string phase, int filesTotal, int filesDone, long bytesTotal, long bytesDone, long snapshot, long? version, string? error)
    {
        var value = new MigrationProgress(spec.Id, spec.Source, spec.Path, spec.Target, phase, filesTotal, filesDone, bytesTotal, bytesDone, snapshot, version, error, DateTimeOffset.UnixEpoch);
        progress?.Report(value);
        return value;
    }

    private static string Relative(NamespaceTree tree, string path) => tree.Root.IsDirectory ? tree.Relative(path) : string.Empty;

    private static string Relative(string root, string path) => path.Length <= root.Length ? string.Empty : path[(root.Length + 1)..];

    private static string Join(string folder, string relative) => relative.Length == 0 ? folder : folder.TrimEnd('/') + "/" + relative;
}
