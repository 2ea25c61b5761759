using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Namespaces;

namespace Unitization.Router.Versions;

/// <summary>
/// Follows every namespace's edit log into the version index, the way a standby NameNode tails the edits. At start it
/// resumes from the namespace's checkpoint in the state store when that checkpoint belongs to this log (the edit at
/// its txid still has its fingerprint), otherwise it replays the log from the beginning; then it tails the log. Every
/// <see cref="RouterOptions.VersionCheckpointInterval"/>, and on stop, it saves a new checkpoint when the position
/// moved. A failure is logged and the follow resumes from the last applied txid; meanwhile reads of that namespace's
/// paths go to the primary.
/// </summary>
internal sealed class EditLogFollower(
    VersionService versions, IVersionCheckpointStore checkpoints, IOptions<RouterOptions> options, TimeProvider time, ILogger<EditLogFollower> logger) : BackgroundService
{
    private readonly TimeSpan _checkpointInterval = options.Value.VersionCheckpointInterval;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(versions.Datacenters.Select(dc => Task.Run(() => RunAsync(dc, stoppingToken), stoppingToken)));

    private async Task RunAsync(string datacenter, CancellationToken cancellationToken)
    {
        await ResumeAsync(datacenter, cancellationToken).ConfigureAwait(false);
        var saved = versions.IndexOf(datacenter).Position;
        var checkpointing = CheckpointEveryAsync(datacenter, saved, cancellationToken);
        await FollowAsync(datacenter, cancellationToken).ConfigureAwait(false);
        saved = await checkpointing.ConfigureAwait(false);

        // stopping: one last checkpoint, so the next start replays only what comes after it
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
        await SaveAsync(datacenter, saved, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Loads the namespace's checkpoint into its (empty) index when it belongs to the log; returns whether it did.</summary>
    internal async Task<bool> ResumeAsync(string datacenter, CancellationToken cancellationToken)
    {
        var index = versions.IndexOf(datacenter);
        var ns = versions.NamespaceOf(datacenter);
        try
        {
            var checkpoint = await checkpoints.LoadAsync(datacenter, cancellationToken).ConfigureAwait(false);
            if (checkpoint is null)
            {
                return false;
            }

            var atPosition = await EditAtAsync(ns, checkpoint.Position, cancellationToken).ConfigureAwait(false);
            if (atPosition is null || VersionCheckpoint.FingerprintOf(atPosition) != checkpoint.Fingerprint)
            {
                RouterLog.CheckpointIgnored(logger, datacenter, checkpoint.Position.Value, atPosition is null ? "the edit log does not reach that txid" : "the edit at that txid differs (a new log)");
                return false;
            }

            index.Restore(checkpoint, atPosition);
            RouterLog.CheckpointResumed(logger, datacenter, checkpoint.Position.Value, checkpoint.Subtree.Count, checkpoint.SavedAt);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // an unreadable checkpoint costs a full replay, never the follow
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RouterLog.CheckpointLoadFailed(logger, ex, datacenter);
            return false;
        }
    }

    /// <summary>Saves a checkpoint when the index moved past <paramref name="saved"/>; returns the position now saved.</summary>
    internal async Task<TxId> SaveAsync(string datacenter, TxId saved, CancellationToken cancellationToken)
    {
        var index = versions.IndexOf(datacenter);
        if (index.Position <= saved || index.Capture(datacenter, time.GetUtcNow()) is not { } checkpoint)
        {
            return saved;
        }

        try
        {
            await checkpoints.SaveAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            RouterLog.CheckpointSaved(logger, datacenter, checkpoint.Position.Value, checkpoint.Subtree.Count);
            return checkpoint.Position;
        }
#pragma warning disable CA1031 // a checkpoint that could not be saved is retried at the next interval
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            RouterLog.CheckpointSaveFailed(logger, ex, datacenter);
            return saved;
        }
    }

    private async Task<TxId> CheckpointEveryAsync(string datacenter, TxId saved, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_checkpointInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                saved = await SaveAsync(datacenter, saved, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }

        return saved;
    }

    private async Task FollowAsync(string datacenter, CancellationToken cancellationToken)
    {
        var index = versions.IndexOf(datacenter);
        var ns = versions.NamespaceOf(datacenter);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                RouterLog.FollowingEdits(logger, datacenter, index.Position.Value);
                await foreach (var edit in ns.EditsSinceAsync(index.Position, follow: true, cancellationToken).ConfigureAwait(false))
                {
                    index.Apply(edit);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a follower outlives any single failure of the namespace; it logs and resumes
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RouterLog.FollowFailed(logger, ex, datacenter);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<Unitization.Namespaces.Edits.EditRecord?> EditAtAsync(INamespace ns, TxId txid, CancellationToken cancellationToken)
    {
        if (txid.Value < 1 || txid > ns.LastTxId)
        {
            return null;
        }

        await foreach (var edit in ns.EditsSinceAsync(new TxId(txid.Value - 1), follow: false, cancellationToken).ConfigureAwait(false))
        {
            return edit.TxId == txid ? edit : null;
        }

        return null;
    }
}
