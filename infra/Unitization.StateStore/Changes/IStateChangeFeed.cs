namespace Unitization.StateStore.Changes;

/// <summary>
/// Tells every process of the fleet that something it caches from the state store changed (the plan in force, mounts,
/// caps, link rates, …), so each reloads its copy: on PostgreSQL through LISTEN/NOTIFY (one channel per kind), on
/// SQLite (one process) directly. The data itself is in the store, so a process that missed a notice (it was down, its
/// connection broke) loses nothing: subscribers also reload at start and whenever the feed reconnects.
/// </summary>
public interface IStateChangeFeed
{
    /// <summary>Announces a committed change of <paramref name="kind"/> to every process, this one included.</summary>
    Task PublishAsync(string kind, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="reload"/> on every change of <paramref name="kind"/>, and when the feed (re)connects.</summary>
    IDisposable Subscribe(string kind, Func<CancellationToken, Task> reload);
}
