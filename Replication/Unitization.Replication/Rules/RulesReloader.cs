using Microsoft.Extensions.Hosting;
using Unitization.StateStore.Changes;

namespace Unitization.Replication.Rules;

/// <summary>Reloads the rule book whenever a DataManager instance of the fleet announces new rules (a new plan in force).</summary>
internal sealed class RulesReloader(RuleBook rules, IStateChangeFeed? changes) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = changes?.Subscribe(StateChangeKinds.Rules, rules.ReloadAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
