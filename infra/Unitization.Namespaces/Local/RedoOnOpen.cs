using Microsoft.Extensions.Logging;
using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// What a writable open does after replaying the log: re-applies, in txid order, the edits a crash may have left
/// logged and not applied (the last edit, or when it is a Create, the trailing Creates a group commit may have logged
/// together, at most <see cref="LocalNamespace.MaxCreatesPerGroup"/>), then empties <c>tmp/</c>. A Create already applied
/// is a no-op (its staged file, named for it alone, is gone), so re-applying Creates of earlier groups changes nothing.
/// </summary>
internal sealed class RedoOnOpen(string name, EditApplier applier, ILogger logger)
{
    private readonly Queue<LoggedEdit> _trailing = new();

    /// <summary>Called for each edit the open replays, in txid order: keeps the window of edits that may need redoing.</summary>
    public void Track(LoggedEdit logged)
    {
        ArgumentNullException.ThrowIfNull(logged);
        if (logged.Edit.Op != EditOp.Create || (_trailing.TryPeek(out var first) && first.Edit.Op != EditOp.Create))
        {
            _trailing.Clear();
        }

        _trailing.Enqueue(logged);
        if (_trailing.Count > LocalNamespace.MaxCreatesPerGroup)
        {
            _trailing.Dequeue();
        }
    }

    /// <summary>
    /// Re-applies the tracked edits, then removes what interrupted writes left in <c>tmp/</c>. An edit that cannot be
    /// applied does not stop the open: it is returned (and logged), and the namespace reports it until
    /// <c>unitization fs recover</c> resolves it.
    /// </summary>
    public IReadOnlyList<UnappliedEdit> Run()
    {
        var unapplied = new List<UnappliedEdit>();
        foreach (var logged in _trailing)
        {
            var edit = logged.Edit;
            try
            {
                var before = applier.StateOf(edit);
                applier.Apply(logged);
                if (applier.StateOf(edit) != before)
                {
                    NamespacesLog.LastEditRedone(logger, name, edit.TxId.Value, edit.Op.ToString(), edit.Path);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                var failed = new UnappliedEdit(edit.TxId.Value, edit.Op, edit.Path, edit.Destination, ex.Message);
                NamespacesLog.EditNotApplied(logger, name, failed.ToString());
                unapplied.Add(failed);
            }
        }

        if (unapplied.Count == 0)
        {
            CleanTemporaryFiles();
        }

        return unapplied;
    }

    private void CleanTemporaryFiles()
    {
        var count = 0;
        foreach (var entry in new DirectoryInfo(applier.Tmp).EnumerateFileSystemInfos())
        {
            EditApplier.DeleteQuietly(entry.FullName);
            count++;
        }

        if (count > 0)
        {
            NamespacesLog.StaleTempRemoved(logger, name, count);
        }
    }
}
