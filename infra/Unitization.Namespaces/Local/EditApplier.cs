using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// Makes a logged edit true on disk. Every apply is idempotent, so an edit a crash left logged and not applied can be
/// re-applied on open: a Create renames its staged file only while it is still staged, a Rename moves only while the
/// source is there and the destination is not, an Exchange checks by inode whether it happened.
/// </summary>
internal sealed class EditApplier(string name, PhysicalPaths paths, string tmp)
{
    private bool _exchangeProbed;
    private NotSupportedException? _exchangeUnsupported;

    /// <summary>The folder of files being written and of deleted entries on their way out (<c>root/tmp</c>).</summary>
    public string Tmp { get; } = tmp;

    public void Apply(LoggedEdit logged)
    {
        ArgumentNullException.ThrowIfNull(logged);
        var edit = logged.Edit;
        var target = paths.Unchecked(edit.Path);
        switch (edit.Op)
        {
            case EditOp.Mkdirs:
                EnsureDirectory(edit.Path, edit.Timestamp);
                break;
            case EditOp.Create:
                var staged = Path.Join(Tmp, logged.Stage);
                if (logged.Stage is not null && File.Exists(staged))
                {
                    EnsureDirectory(NamespacePath.Parent(edit.Path)!, edit.Timestamp);
                    File.Move(staged, target, overwrite: true);
                    if (logged.DeferDirectorySync)
                    {
                        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(target)!, edit.Timestamp.UtcDateTime);
                    }
                    else
                    {
                        SyncDirectory(Path.GetDirectoryName(target)!, edit.Timestamp);
                    }
                }

                break;
            case EditOp.Rename:
                var destination = paths.Unchecked(edit.Destination!);
                if (PhysicalPaths.Exists(target) && !PhysicalPaths.Exists(destination))
                {
                    EnsureDirectory(NamespacePath.Parent(edit.Destination!)!, edit.Timestamp);
                    if (Directory.Exists(target))
                    {
                        Directory.Move(target, destination);
                    }
                    else
                    {
                        File.Move(target, destination);
                    }

                    SyncDirectory(Path.GetDirectoryName(target)!, edit.Timestamp);
                    SyncDirectory(Path.GetDirectoryName(destination)!, edit.Timestamp);
                }

                break;
            case EditOp.Exchange:
                ApplyExchange(logged, target, paths.Unchecked(edit.Destination!));
                break;
            case EditOp.Delete:
                if (PhysicalPaths.Exists(target))
                {
                    // vanish atomically (rename out of files/), then remove the bytes
                    var trash = Path.Join(Tmp, $"{edit.TxId.Value}.deleted");
                    if (Directory.Exists(target))
                    {
                        Directory.Move(target, trash);
                    }
                    else
                    {
                        File.Move(target, trash, overwrite: true);
                    }

                    SyncDirectory(Path.GetDirectoryName(target)!, edit.Timestamp);
                    DeleteQuietly(trash);
                }

                break;
            case EditOp.SetTimes:
                if (Directory.Exists(target))
                {
                    Directory.SetLastWriteTimeUtc(target, edit.Timestamp.UtcDateTime);
                }
                else if (File.Exists(target))
                {
                    File.SetLastWriteTimeUtc(target, edit.Timestamp.UtcDateTime);
                }

                break;
            default:
                throw new InvalidDataException($"Unknown edit op {edit.Op}.");
        }
    }

    /// <summary>What an edit's paths look like on disk, to tell whether re-applying it changed anything.</summary>
    public (bool, bool, ulong?) StateOf(EditRecord edit) =>
        (PhysicalPaths.Exists(paths.Unchecked(edit.Path)),
         edit.Destination is not null && PhysicalPaths.Exists(paths.Unchecked(edit.Destination)),
         edit.Op == EditOp.Exchange ? AtomicExchange.InodeOf(paths.Unchecked(edit.Path)) : null);

    /// <summary>Checks once per instance that this file system can exchange (see <see cref="AtomicExchange.Probe"/>).</summary>
    public void RequireExchange()
    {
        if (!_exchangeProbed)
        {
            try
            {
                AtomicExchange.Probe(Tmp);
            }
            catch (NotSupportedException ex)
            {
                _exchangeUnsupported = ex;
            }

            _exchangeProbed = true;
        }

        if (_exchangeUnsupported is not null)
        {
            throw new NotSupportedException($"Namespace '{name}' cannot exchange paths: {_exchangeUnsupported.Message}", _exchangeUnsupported);
        }
    }

    /// <summary>Removes a file or a directory tree, leaving what cannot be removed now to the next open's cleaning of <c>tmp/</c>.</summary>
    public static void DeleteQuietly(string physical)
    {
        try
        {
            if (Directory.Exists(physical))
            {
                Directory.Delete(physical, recursive: true);
            }
            else
            {
                File.Delete(physical);
            }
        }
        catch (IOException)
        {
            // already invisible; tmp/ is emptied on the next open
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A changed directory takes the edit's time (as HDFS sets a parent's mtime) and is fsynced so the change is durable.</summary>
    private static void SyncDirectory(string physical, DateTimeOffset timestamp)
    {
        Directory.SetLastWriteTimeUtc(physical, timestamp.UtcDateTime);
        DirectorySync.Flush(physical);
    }

    /// <summary>
    /// Swaps the two sides unless the logged inode of the first is already at the second (the swap happened before a
    /// crash); a state that is neither was changed outside the namespace and is refused.
    /// </summary>
    private void ApplyExchange(LoggedEdit logged, string first, string second)
    {
        var edit = logged.Edit;
        var inode = logged.Inode ?? throw new InvalidDataException($"Namespace '{name}': exchange edit {edit.TxId} carries no inode.");
        try
        {
            if (AtomicExchange.InodeOf(first) != inode)
            {
                if (AtomicExchange.InodeOf(second) == inode)
                {
                    return;
                }

                throw new IOException(
                    $"Namespace '{name}': neither {edit.Path} nor {edit.Destination} holds the entry that was at {edit.Path} when exchange {edit.TxId} was logged " +
                    $"(inode {inode}); the files were changed outside the namespace.");
            }

            AtomicExchange.Exchange(first, second);
        }
        catch (NotSupportedException ex)
        {
            throw new IOException(ex.Message, ex);
        }

        var firstParent = Path.GetDirectoryName(first)!;
        var secondParent = Path.GetDirectoryName(second)!;
        SyncDirectory(firstParent, edit.Timestamp);
        if (secondParent != firstParent)
        {
            SyncDirectory(secondParent, edit.Timestamp);
        }
    }

    /// <summary>Creates the missing directories of a normalized path, each stamped with the edit's time and made durable in its parent.</summary>
    private void EnsureDirectory(string normalized, DateTimeOffset timestamp)
    {
        if (normalized == NamespacePath.Root)
        {
            return;
        }

        var missing = new Stack<string>();
        for (var p = normalized; p != NamespacePath.Root && !Directory.Exists(paths.Unchecked(p)); p = NamespacePath.Parent(p)!)
        {
            missing.Push(p);
        }

        while (missing.TryPop(out var p))
        {
            var physical = paths.Unchecked(p);
            Directory.CreateDirectory(physical);
            Directory.SetLastWriteTimeUtc(physical, timestamp.UtcDateTime);
            SyncDirectory(Path.GetDirectoryName(physical)!, timestamp);
        }
    }
}
