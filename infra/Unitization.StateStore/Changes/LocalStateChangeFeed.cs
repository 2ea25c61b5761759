using Microsoft.Extensions.Logging;

namespace Unitization.StateStore.Changes;

/// <summary>The feed of one process (SQLite): a change is announced to this process's subscribers, and nowhere else is needed.</summary>
internal sealed class LocalStateChangeFeed(ILogger<LocalStateChangeFeed> logger) : IStateChangeFeed
{
    private readonly StateChangeSubscribers _subscribers = new(logger);

    public Task PublishAsync(string kind, CancellationToken cancellationToken) => _subscribers.ReloadAsync(kind, cancellationToken);

    public IDisposable Subscribe(string kind, Func<CancellationToken, Task> reload) => _subscribers.Add(kind, reload);
}
