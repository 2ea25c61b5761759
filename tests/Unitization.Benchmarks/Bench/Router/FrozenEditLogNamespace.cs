using System.Runtime.CompilerServices;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Benchmarks.Bench.Router;

/// <summary>
/// The edit log of a namespace fixed in memory, for the in-process resolve benchmark: the version service only reads
/// <see cref="LastTxId"/> and <see cref="EditsSinceAsync"/>. It holds no files; the file operations say so.
/// </summary>
internal sealed class FrozenEditLogNamespace(string name, IReadOnlyList<EditRecord> edits) : INamespace
{
    public string Name { get; } = name;

    public TxId LastTxId { get; } = edits.Count == 0 ? TxId.None : edits[^1].TxId;

    public async IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var edit in edits)
        {
            if (edit.TxId > after)
            {
                yield return edit;
            }
        }

        if (follow)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken) => throw NoFiles();

    public IAsyncEnumerable<NamespaceEntry> ListAsync(string path, CancellationToken cancellationToken) => throw NoFiles();

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) => throw NoFiles();

    public Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken) => throw NoFiles();

    public Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken) => throw NoFiles();

    public Task<EditRecord> RenameAsync(string source, string destination, CancellationToken cancellationToken) => throw NoFiles();

    public Task<EditRecord> ExchangeAsync(string first, string second, CancellationToken cancellationToken) => throw NoFiles();

    public Task<EditRecord?> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken) => throw NoFiles();

    public Task<EditRecord> SetTimesAsync(string path, DateTimeOffset modificationTime, CancellationToken cancellationToken) => throw NoFiles();

    public Task<FileChecksum> GetChecksumAsync(string path, CancellationToken cancellationToken) => throw NoFiles();

    private NotSupportedException NoFiles() => new($"{Name}: the benchmark's namespace holds an edit log only, no files");
}
