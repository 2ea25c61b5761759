using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// An edit as the log stores it: the public record plus what redo on open needs: the staged file a Create renames into
/// place, and for an Exchange the inode that was at <see cref="EditRecord.Path"/> when it was logged (still there: not
/// yet swapped; at the destination: done). <see cref="DeferDirectorySync"/> (not logged) marks a Create whose caller
/// fsyncs the directory later (<see cref="LocalNamespace.SyncFilesAsync"/>); redo on open always fsyncs.
/// <see cref="Note"/> marks an edit <c>fs recover</c> wrote in place of a corrupt frame it skipped.
/// </summary>
internal sealed record LoggedEdit(EditRecord Edit, string? Stage, ulong? Inode = null, bool DeferDirectorySync = false, string? Note = null);
