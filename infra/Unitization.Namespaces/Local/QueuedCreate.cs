using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>A Create waiting for group commit: its path, its validation, and its outcome.</summary>
internal sealed class QueuedCreate(string path, Func<long, DateTimeOffset, LoggedEdit?> prepare)
{
    public string Path { get; } = path;

    public Func<long, DateTimeOffset, LoggedEdit?> Prepare { get; } = prepare;

    public TaskCompletionSource<EditRecord?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A group took it (set under the queue's lock); from then on its outcome is the group's.</summary>
    public bool Taken { get; set; }
}
