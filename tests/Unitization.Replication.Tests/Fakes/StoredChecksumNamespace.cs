using System.IO.Hashing;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Replication.Tests.Fakes;

/// <summary>
/// A namespace that keeps a checksum with its files, as HDFS does (<see cref="IStoredFileChecksums"/>): its checksum is
/// named <paramref name="algorithm"/> and is the CRC-32 of the bytes it holds. Counts the streams the copier opens.
/// </summary>
internal sealed class StoredChecksumNamespace(INamespace inner, string algorithm) : INamespace, IStoredFileChecksums
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public bool HasStoredChecksums => true;

    public string Name => inner.Name;

    public TxId LastTxId => inner.LastTxId;

    public async Task<FileChecksum> GetChecksumAsync(string path, CancellationToken cancellationToken)
    {
        var crc = new Crc32();
        await using var stream = await inner.OpenReadAsync(path, cancellationToken);
        await crc.AppendAsync(stream, cancellationToken);
        return new FileChecksum(algorithm, Convert.ToHexStringLower(crc.GetCurrentHash()), stream.Length);
    }

    public Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken) => inner.GetStatusAsync(path, cancellationToken);

    public IAsyncEnumerable<NamespaceEntry> ListAsync(string path, CancellationToken cancellationToken) => inner.ListAsync(path, cancellationToken);

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return inner.OpenReadAsync(path, cancellationToken);
    }

    public Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken) =>
        inner.CreateAsync(path, write, overwrite, cancellationToken);

    public Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken) => inner.MkdirsAsync(path, cancellationToken);

    public Task<EditRecord> RenameAsync(string source, string destination, CancellationToken cancellationToken) => inner.RenameAsync(source, destination, cancellationToken);

    public Task<EditRecord> ExchangeAsync(string first, string second, CancellationToken cancellationToken) => inner.ExchangeAsync(first, second, cancellationToken);

    public Task<EditRecord?> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken) => inner.DeleteAsync(path, recursive, cancellationToken);

    public Task<EditRecord> SetTimesAsync(string path, DateTimeOffset modificationTime, CancellationToken cancellationToken) => inner.SetTimesAsync(path, modificationTime, cancellationToken);

    public IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, CancellationToken cancellationToken) => inner.EditsSinceAsync(after, follow, cancellationToken);
}
