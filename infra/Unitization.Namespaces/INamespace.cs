using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces;

/// <summary>
/// One datacenter's file system: the embedded local directory with an edit log, or HDFS through WebHDFS.
/// Paths are absolute, '/'-separated and normalized by the namespace; a path that would leave the root is refused
/// with <see cref="NamespacePathException"/>. Every mutation is one edit with the next <see cref="TxId"/>.
/// </summary>
public interface INamespace
{
    /// <summary>The datacenter this namespace belongs to (e.g. <c>dcA</c>).</summary>
    string Name { get; }

    /// <summary>The last transaction id written to the edit log (<see cref="TxId.None"/> when empty).</summary>
    TxId LastTxId { get; }

    Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// The children of a directory, sorted by name; a file lists as itself. Unitization's internal folder
    /// (<see cref="NamespacePath.InternalRoot"/>) is left out unless the listed path is inside it.
    /// </summary>
    IAsyncEnumerable<NamespaceEntry> ListAsync(string path, CancellationToken cancellationToken);

    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a file through a temporary file that is renamed into place only when <paramref name="write"/>
    /// completes, then logs one Create edit (with size and checksum). Readers never see a partial file.
    /// </summary>
    Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken);

    Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken);

    /// <summary>Atomically renames a file or a whole directory; the destination must not exist.</summary>
    Task<EditRecord> RenameAsync(string source, string destination, CancellationToken cancellationToken);

    /// <summary>
    /// Swaps two existing paths (files or directories) in one atomic step, logged as one Exchange edit: a reader of
    /// either path finds it at every moment, holding either its old or its new content, never nothing. Neither may be
    /// the root or inside the other. Throws <see cref="NotSupportedException"/>, before anything changes, when the file
    /// system cannot swap atomically (it is never emulated with two renames); the caller decides what to do then.
    /// </summary>
    Task<EditRecord> ExchangeAsync(string first, string second, CancellationToken cancellationToken);

    /// <summary>Deletes a file or directory; returns null when nothing existed.</summary>
    Task<EditRecord?> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken);

    Task<EditRecord> SetTimesAsync(string path, DateTimeOffset modificationTime, CancellationToken cancellationToken);

    Task<FileChecksum> GetChecksumAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// The edits after <paramref name="after"/> in txid order. With <paramref name="follow"/>, the stream waits for new
    /// edits until cancelled (the way a standby NameNode tails the edit log).
    /// </summary>
    IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, CancellationToken cancellationToken);
}
