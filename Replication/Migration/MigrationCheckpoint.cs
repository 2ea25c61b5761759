using System.Text.Json;

namespace Unitization.Replication.Migration;

/// <summary>
/// A migration's checkpoint folder: <c>job.json</c> (the spec, the snapshot txid and the copy listing, written once)
/// and <c>done.log</c> (one relative path per verified file, appended and flushed as each completes). A killed
/// migration started again reads both and copies only what is not in <c>done.log</c>.
/// </summary>
internal sealed class MigrationCheckpoint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _folder;

    public MigrationCheckpoint(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    public sealed record Listing(MigrationSpec Spec, long SnapshotTxId, List<ListedFile> Files, List<string> Directories);

    public sealed record ListedFile(string Relative, long Length);

    public string Folder => _folder;

    public async Task<Listing?> ReadListingAsync(CancellationToken cancellationToken)
    {
        var path = Path.Join(_folder, "job.json");
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync<Listing>(stream, Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Migration checkpoint '{path}' is damaged ({ex.Message}); delete the folder '{_folder}' to start over.", ex);
        }
    }

    public async Task WriteListingAsync(Listing listing, CancellationToken cancellationToken)
    {
        var path = Path.Join(_folder, "job.json");
        var temp = path + ".tmp";
        await using (var stream = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(stream, listing, Json, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    public HashSet<string> ReadDone()
    {
        var path = Path.Join(_folder, "done.log");
        // a line cut by a kill has no newline yet: ignore it, that file is copied again
        return File.Exists(path)
            ? File.ReadAllText(path).Split('\n').SkipLast(1).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
    }

    public StreamWriter OpenDoneLog() => new(new FileStream(Path.Join(_folder, "done.log"), FileMode.Append, FileAccess.Write, FileShare.Read)) { NewLine = "\n" };

    public void Delete() => Directory.Delete(_folder, recursive: true);
}
