namespace Unitization.Namespaces.Local;

/// <summary>
/// A read-only instance's view of a log another process writes (e.g. <c>unitization fs ls</c> next to a running
/// service): each look picks up the frames appended since the last one, and a file watcher wakes followers waiting for
/// the next edit.
/// </summary>
internal sealed class LogFollower : IDisposable
{
    private readonly EditLog _log;
    private readonly NamespaceState _state;
    private readonly FileSystemWatcher _watcher;

    public LogFollower(EditLog log, NamespaceState state)
    {
        _log = log;
        _state = state;
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(log.FilePath)!, Path.GetFileName(log.FilePath))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += (_, _) => state.Signal();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Replays the complete frames the writer appended since the last look.</summary>
    public void Refresh() => _state.Refresh(() =>
    {
        _log.Refresh(_state.Replay);
        return _log.LastTxId;
    });

    public void Dispose() => _watcher.Dispose();
}
