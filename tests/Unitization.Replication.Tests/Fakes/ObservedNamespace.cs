using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Replication.Tests.Fakes;

/// <summary>A namespace that runs <paramref name="afterChange"/> after each rename, exchange and delete, so a test can look at every state a publish passes through.</summary>
internal sealed class ObservedNamespace(INamespace inner, Func<Task> afterChange) : INamespace
{
    public string Name => inner.Name;

    public TxId LastTxId => inner.LastTxId;

    public Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken) => inner.GetStatusAsync(path, cancellationToken);

    public IAsyncEnumerable<NamespaceEntry> ListAsync(string path, CancellationToken cancellationToken) => inner.ListAsync(path, cancellationToken);

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) => inner.OpenReadAsync(path, cancellationToken);

    public Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken) =>
        inner.CreateAsync(path, write, overwrite, cancellationToken);

    public Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken) => inner.MkdirsAsync(path, cancellationToken);

    public async Task<EditRecord> RenameAsync(string source, string destination, CancellationToken cancellationToken)
    {
        var edit = await inner.RenameAsync(source, destination, cancellationToken);
        await afterChange();
        return edit;
    }

    public async Task<EditRecord> ExchangeAsync(string first, string second, CancellationToken cancellationToken)
    {
        var edit = await inner.ExchangeAsync(first, second, cancellationToken);
        await afterChange();
        return edit;
    }

    public async Task<EditRecord?> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken)
    {
        var edit = await inner.DeleteAsync(path, recursive, cancellationToken);
        await afterChange();
        return edit;
    }

    public Task<EditRecord> SetTimesAsync(string path, DateTimeOffset modificationTime, CancellationToken cancellationToken) => inner.SetTimesAsync(path, modificationTime, cancellationToken);

    public Task<FileChecksum> GetChecksumAsync(string path, CancellationToken cancellationToken) => inner.GetChecksumAsync(path, cancellationToken);

    public IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, CancellationToken cancellationToken) => inner.EditsSinceAsync(after, follow, cancellationToken);
}
