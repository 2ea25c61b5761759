using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Replication.Tests.Fakes;

/// <summary>
/// A namespace that offers only <see cref="INamespace"/> (as WebHDFS does), over a real one: the copier cannot see the
/// files on disk and must copy through streams. Counts the streams it opens and the files it creates.
/// </summary>
internal sealed class StreamOnlyNamespace(INamespace inner) : INamespace
{
    private int _reads;
    private int _creates;

    public int Reads => Volatile.Read(ref _reads);

    public int Creates => Volatile.Read(ref _creates);

    public string Name => inner.Name;

    public TxId LastTxId => inner.LastTxId;

    public Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken) => inner.GetStatusAsync(path, cancellationToken);

    public IAsyncEnumerable<NamespaceEntry> ListAsync(string path, CancellationToken cancellationToken) => inner.ListAsync(path, cancellationToken);

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return inner.OpenReadAsync(path, cancellationToken);
    }

    public Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _creates);
        return inner.CreateAsync(path, write, overwrite, cancellationToken);
    }

    public Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken) => inner.MkdirsAsync(path, cancellationToken);

    public Task<EditRecord> RenameAsync(string source, string destination, CancellationToken cancellationToken) => inner.RenameAsync(source, destination, cancellationToken);

    public Task<EditRecord> ExchangeAsync(string first, string second, CancellationToken cancellationToken) => inner.ExchangeAsync(first, second, cancellationToken);

    public Task<EditRecord?> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken) => inner.DeleteAsync(path, recursive, cancellationToken);

    public Task<EditRecord> SetTimesAsync(string path, DateTimeOffset modificationTime, CancellationToken cancellationToken) => inner.SetTimesAsync(path, modificationTime, cancellationToken);

    public Task<FileChecksum> GetChecksumAsync(string path, CancellationToken cancellationToken) => inner.GetChecksumAsync(path, cancellationToken);

    public IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, CancellationToken cancellationToken) => inner.EditsSinceAsync(after, follow, cancellationToken);
}
