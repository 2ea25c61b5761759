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

    /// <summary>Every Create's path and staged file name, from the log's JSON payloads, in log order.</summary>
    public async Task<List<(string Path, string Stage)>> CreateStagesAsync()
    {
        var text = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(LogFile));
        var found = new List<(string, string)>();
        for (var at = text.IndexOf("\"op\":\"create\"", StringComparison.Ordinal); at >= 0; at = text.IndexOf("\"op\":\"create\"", at + 1, StringComparison.Ordinal))
        {
            found.Add((Field(text, "path", at), Field(text, "stage", at)));
        }

        return found;
    }

    private static string Field(string text, string name, int from)
    {
        var key = $"\"{name}\":\"";
        var start = text.IndexOf(key, from, StringComparison.Ordinal) + key.Length;
        return text[start..text.IndexOf('"', start)];
    }

    private LocalNamespace Open() => new("dcA", Root, Time);
}
