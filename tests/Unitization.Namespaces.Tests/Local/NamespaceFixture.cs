using System.Text;
using Microsoft.Extensions.Time.Testing;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;
using Unitization.TestUtils;

namespace Unitization.Namespaces.Tests.Local;

/// <summary>A temp directory holding one namespace, reopenable to simulate restarts.</summary>
internal sealed class NamespaceFixture : IDisposable
{
    private readonly TempDirectory _directory = new("unitization-ns");

    public NamespaceFixture()
    {
        Namespace = Open();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public LocalNamespace Namespace { get; private set; }

    public string Root => System.IO.Path.Join(_directory.Path, "dcA");

    public string LogFile => System.IO.Path.Join(Root, "edits", "edits.log");

    public string TmpFolder => System.IO.Path.Join(Root, "tmp");

    public string FilesFolder => System.IO.Path.Join(Root, "files");

    public LocalNamespace Reopen()
    {
        Namespace.Dispose();
        Namespace = Open();
        return Namespace;
    }

    public LocalNamespace OpenReadOnly() => new("dcA", Root, Time, readOnly: true);

    public Task<EditRecord> PutAsync(string path, string text, bool overwrite = false) =>
        Namespace.CreateAsync(path, (s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask(), overwrite, CancellationToken.None);

    public async Task<string> ReadAsync(string path)
    {
        await using var stream = await Namespace.OpenReadAsync(path, CancellationToken.None);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public async Task<List<EditRecord>> EditsAsync(TxId after = default)
    {
        var edits = new List<EditRecord>();
        await foreach (var edit in Namespace.EditsSinceAsync(after, follow: false, CancellationToken.None))
        {
            edits.Add(edit);
        }

        return edits;
    }

    public void Dispose()
    {
        Namespace.Dispose();
        _directory.Dispose();
    }

    private LocalNamespace Open() => new("dcA", Root, Time);
}
