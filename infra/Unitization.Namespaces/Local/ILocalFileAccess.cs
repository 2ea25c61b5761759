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
    /// <summary>
    /// The checksum the last Create of the file <paramref name="path"/> logged (XXH128 as lowercase hex; SHA-256 in logs
    /// written before XXH128) and the file's txid, without reading the file; null for a directory or a path the log does
    /// not know. It is the checksum of the file's bytes as long as no edit after that txid touched the file: a copier
    /// checks that in the edit log (as DistCp compares the source's stored checksum instead of reading the source again).
    /// </summary>
    (string Checksum, TxId TxId)? GetLoggedChecksum(string path);

    /// <summary>Opens a file for positioned reads; the caller disposes the handle.</summary>
    SafeFileHandle OpenReadHandle(string path);

    /// <summary>
    /// <see cref="INamespace.CreateAsync"/> with the temporary file's handle (empty, open for reading and writing) in
    /// place of a stream: <paramref name="write"/> fills it with positioned writes or <see cref="FileRangeCopy"/>. The
    /// namespace reads the file back for its own checksum (XXH128: <see cref="StagedFileChecksum"/>, to which the writer may
    /// report each range as it writes it, to have it read back while cached) and logs one Create edit with size and checksum;
    /// readers never see a partial file. With <paramref name="syncData"/> false neither the data nor the new directory
    /// entry is fsynced (only the edit is): the caller must <see cref="SyncFilesAsync"/> the file before anything relies
    /// on it surviving a power loss (the replicator stages files so, in a folder it removes after a crash).
    /// </summary>
    Task<EditRecord> CreateFromHandleAsync(
        string path, Func<SafeFileHandle, StagedFileChecksum, CancellationToken, Task> write, bool overwrite, bool syncData, CancellationToken cancellationToken);

    /// <summary>Makes these files durable: an fsync of each, several at once, then of each directory holding them.</summary>
    Task SyncFilesAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken);
}
