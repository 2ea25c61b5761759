using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Unitization.Router.Versions;

/// <summary>
/// Follows every namespace's edit log into the version index: at start it replays the log from the beginning (the
/// snapshot of every path's last txid), then tails it the way a standby NameNode does. A failure is logged and the
/// follow resumes from the last applied txid; meanwhile reads of that namespace's paths go to the primary.
/// </summary>
internal sealed class EditLogFollower(VersionService versions, TimeProvider time, ILogger<EditLogFollower> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(versions.Datacenters.Select(dc => Task.Run(() => FollowAsync(dc, stoppingToken), stoppingToken)));

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
}
