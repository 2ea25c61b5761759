using Microsoft.Extensions.Logging;

namespace Unitization.StateStore.Changes;

/// <summary>The reload callbacks per kind, called one kind at a time; a failing one is logged and the others still run.</summary>
internal sealed class StateChangeSubscribers(ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Func<CancellationToken, Task>>> _byKind = new(StringComparer.Ordinal);

    public event Action? KindAdded;

    public IReadOnlyList<string> Kinds
    {
        get
        {
            lock (_lock)
            {
                return [.. _byKind.Keys];
            }
        }
    }

    public IDisposable Add(string kind, Func<CancellationToken, Task> reload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(reload);
        bool added;
        lock (_lock)
        {
            added = !_byKind.ContainsKey(kind);
            if (added)
            {
                _byKind[kind] = [];
            }

            _byKind[kind].Add(reload);
        }

        if (added)
        {
            KindAdded?.Invoke();
        }

        return new Subscription(this, kind, reload);
    }

    public async Task ReloadAsync(string kind, CancellationToken cancellationToken)
    {
        Func<CancellationToken, Task>[] reloads;
        lock (_lock)
        {
            reloads = _byKind.TryGetValue(kind, out var list) ? [.. list] : [];
        }

        foreach (var reload in reloads)
        {
            try
            {
                await reload(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // one cache that cannot reload now must not stop the others; the next notice retries
            catch (Exception ex)
#pragma warning restore CA1031
            {
                StateStoreLog.ReloadFailed(logger, kind, ex.Message);
            }
        }
    }

    public async Task ReloadAllAsync(CancellationToken cancellationToken)
    {
        foreach (var kind in Kinds)
        {
            await ReloadAsync(kind, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Remove(string kind, Func<CancellationToken, Task> reload)
    {
        lock (_lock)
        {
            if (_byKind.TryGetValue(kind, out var list))
            {
                list.Remove(reload);
            }
        }
    }

    private sealed class Subscription(StateChangeSubscribers owner, string kind, Func<CancellationToken, Task> reload) : IDisposable
    {
        public void Dispose() => owner.Remove(kind, reload);
    }
}
