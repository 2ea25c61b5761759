using Microsoft.Extensions.Hosting;
using Unitization.StateStore.Changes;

namespace Unitization.DataManager.Service;

/// <summary>Reloads the plan in force whenever any instance of the fleet saves a new one (and when the feed connects).</summary>
internal sealed class PlanReloader(PlanService plans, IStateChangeFeed changes) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = changes.Subscribe(StateChangeKinds.Plan, plans.ReloadAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
