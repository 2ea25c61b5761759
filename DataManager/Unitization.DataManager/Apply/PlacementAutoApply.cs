using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.DataManager.Hosting;
using Unitization.DataManager.Service;

namespace Unitization.DataManager.Apply;

/// <summary>With <c>DataManager:AutoApply</c> (default off): every new plan's changes are applied as soon as it is stored.</summary>
internal sealed class PlacementAutoApply(PlanService plans, PlacementApplier applier, IOptions<DataManagerOptions> options, ILogger<PlacementAutoApply> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.AutoApply && applier.Unavailable is null)
        {
            plans.Published += OnPublished;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        plans.Published -= OnPublished;
        return Task.CompletedTask;
    }

    private void OnPublished(long version) => _ = ApplyAsync(version);

    private async Task ApplyAsync(long version)
    {
        try
        {
            await applier.Running.ConfigureAwait(false);
            if (await applier.ChangesAsync(CancellationToken.None).ConfigureAwait(false) is { Changes.Count: > 0 } changes && changes.PlanVersion == version)
            {
                applier.Start(changes.PlanVersion, changes.Changes);
            }
        }
#pragma warning disable CA1031 // the plan stays stored; the changes wait for the next plan or an apply by hand
        catch (Exception ex)
#pragma warning restore CA1031
        {
            DataManagerLog.ChangeFailed(logger, $"auto-apply of plan {version}", ex);
        }
    }
}
