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
/// state store's change feed.
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
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the state store may be briefly unavailable; the previous versions stay (they only under-state)
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RouterLog.RefreshFailed(logger, ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
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
