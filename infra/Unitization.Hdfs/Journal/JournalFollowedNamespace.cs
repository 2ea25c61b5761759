using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Hdfs.Journal;

/// <summary>
/// A <c>Kind: hdfs</c> namespace whose versions come from the NameNode's own edit log: every file operation goes to
/// <paramref name="files"/> (the namespace reached over WebHDFS), while <see cref="EditsSinceAsync"/> and
/// <see cref="LastTxId"/> come from <paramref name="journal"/>, the tail of the segments a JournalNode (or a shared
/// edits directory) holds. The router's edit log follower then tails HDFS as it tails a local namespace.
/// </summary>
internal sealed class JournalFollowedNamespace(INamespace files, JournalEditsTail journal) : INamespace
{
    public string Name => files.Name;

    /// <summary>The last txid the journal tail has read (0 before it read any).</summary>
    public TxId LastTxId => new(journal.LastTxId);

    public IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, CancellationToken cancellationToken) =>
        journal.EditsSinceAsync(after, follow, cancellationToken);

    public Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken) => files.GetStatusAsync(path, cancellationToken);

    public IAsyncEnumerable<NamespaceEntry> ListAsync(string path, CancellationToken cancellationToken) => files.ListAsync(path, cancellationToken);

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) => files.OpenReadAsync(path, cancellationToken);

    public Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken) =>
        files.CreateAsync(path, write, overwrite, cancellationToken);

    public Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken) => files.MkdirsAsync(path, cancellationToken);

    public Task<EditRecord> RenameAsync(string source, string destination, CancellationToken cancellationToken) =>
        files.RenameAsync(source, destination, cancellationToken);

    public Task<EditRecord> ExchangeAsync(string first, string second, CancellationToken cancellationToken) =>
        files.ExchangeAsync(first, second, cancellationToken);

    public Task<EditRecord?> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken) => files.DeleteAsync(path, recursive, cancellationToken);

    public Task<EditRecord> SetTimesAsync(string path, DateTimeOffset modificationTime, CancellationToken cancellationToken) =>
        files.SetTimesAsync(path, modificationTime, cancellationToken);

    public Task<FileChecksum> GetChecksumAsync(string path, CancellationToken cancellationToken) => files.GetChecksumAsync(path, cancellationToken);
}
