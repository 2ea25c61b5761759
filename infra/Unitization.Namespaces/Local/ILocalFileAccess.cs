using Microsoft.Win32.SafeHandles;
using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// An optional capability of a namespace whose files live in this host's file system (<see cref="LocalNamespace"/>):
/// open handles, so a copy between two such namespaces can move the bytes inside the kernel
/// (<see cref="FileRangeCopy"/>) instead of through streams. Any other namespace (WebHDFS, a test double) is copied
/// through <see cref="INamespace.OpenReadAsync"/> and <see cref="INamespace.CreateAsync"/>.
/// </summary>
public interface ILocalFileAccess
{
    /// <summary>Opens a file for positioned reads; the caller disposes the handle.</summary>
    SafeFileHandle OpenReadHandle(string path);

    /// <summary>
    /// <see cref="INamespace.CreateAsync"/> with the temporary file's handle (empty, open for reading and writing) in
    /// place of a stream: <paramref name="write"/> fills it with positioned writes or <see cref="FileRangeCopy"/>. The
    /// namespace then reads the file back for its own checksum (XXH128) and logs one Create edit with size and checksum;
    /// readers never see a partial file. With <paramref name="syncData"/> false the data is not fsynced before the edit
    /// (only the edit and the directory entry are): the caller must <see cref="SyncFilesAsync"/> the file before anything
    /// relies on it surviving a power loss.
    /// </summary>
    Task<EditRecord> CreateFromHandleAsync(string path, Func<SafeFileHandle, CancellationToken, Task> write, bool overwrite, bool syncData, CancellationToken cancellationToken);

    /// <summary>Makes the data of these files durable (fsync of each, several at once).</summary>
    Task SyncFilesAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken);
}
