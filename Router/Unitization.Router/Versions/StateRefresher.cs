using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Replication.Versions;
using Unitization.Router.Mounts;
using Unitization.StateStore.Changes;

namespace Unitization.Router.Versions;

/// <summary>
/// Re-reads what other processes change in the state store every <c>Router:RefreshInterval</c>: Replication's replica
/// versions (into the in-memory cache the resolver reads) and the admin API's mounts (so every router instance applies
/// a mount change without a restart). Mounts are also reloaded as soon as any instance announces a change on the
/// state store's change feed. A router that cannot refresh keeps the previous ones for at most
/// <c>Router:ReplicaRecordsMaxAge</c> (each attempt is cut off so that it holds), then drops the replica versions: a
/// withdrawn record (a replica being replaced on HDFS) must stop being served within that time, whatever the store does.
/// </summary>
internal sealed class StateRefresher(
    VersionService versions,
    MountRegistry mounts,
    IReplicaVersionStore replicaVersions,
    IOptions<RouterOptions> options,
    TimeProvider time,
    ILogger<StateRefresher> logger,
    IStateChangeFeed? changes = null) : BackgroundService
{
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await versions.RefreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var datacenter in versions.Datacenters)
            {
                var list = await replicaVersions.ListAsync(datacenter, "/", cancellationToken).ConfigureAwait(false);
                versions.Replicas.Replace(datacenter, list);
            }
        }
        finally
        {
            versions.RefreshGate.Release();
        }

        await mounts.ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = changes?.Subscribe(StateChangeKinds.Mounts, mounts.ReloadAsync);
        var refreshInterval = options.Value.RefreshInterval;
        var maxAge = options.Value.ReplicaRecordsMaxAge;
        using var timer = new PeriodicTimer(refreshInterval, time);

        // an attempt is cut off after attemptLimit; after a failure the next attempt starts within one interval, so
        // the records are dropped at the failure after which that attempt could end past lastSuccess + maxAge
        var attemptLimit = (maxAge - refreshInterval) / 2;
        var lastSuccess = time.GetTimestamp();
        var dropped = false;
        do
        {
            // the records are as old as the attempt that read them: its start, not its end, which comes later by as
            // long as the rest of the attempt (the mounts' reload) takes
            var started = time.GetTimestamp();
            try
            {
                using var limit = new CancellationTokenSource(attemptLimit, time);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, limit.Token);
                await RefreshAsync(attempt.Token).ConfigureAwait(false);
                lastSuccess = started;
                dropped = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the state store may be briefly unavailable; the previous versions stay until they are too old
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RouterLog.RefreshFailed(logger, ex);
                var age = time.GetElapsedTime(lastSuccess);
                if (!dropped && age + refreshInterval + attemptLimit > maxAge)
                {
                    DropReplicaVersions();
                    dropped = true;
                    RouterLog.ReplicaRecordsDropped(logger, (long)age.TotalMilliseconds);
                }
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Forgets every replica version (only under-states: reads go to the primaries).</summary>
    internal void DropReplicaVersions()
    {
        foreach (var datacenter in versions.Datacenters)
        {
            versions.Replicas.Replace(datacenter, []);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
