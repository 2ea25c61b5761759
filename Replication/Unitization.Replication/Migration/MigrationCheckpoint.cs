using System.Text.Json;

namespace Unitization.Replication.Migration;

/// <summary>
/// A migration's checkpoint folder: <c>job.json</c> (the spec, the snapshot txid and the copy listing, written once)
/// <c>done.log</c> (one relative path per verified file, appended and flushed as each completes) and, at the end,
/// <c>publishing.json</c>. A killed migration started again reads them and copies only what is not in <c>done.log</c>.
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

    /// <summary>
    /// Written (durably) just before the publish: the target's last txid then and the txid the staged copy reflects. A
    /// run resumed with it finds out from the target's edit log whether the publish happened, instead of publishing
    /// whatever the staging folder holds by then (nothing, or the replica an exchange swapped out).
    /// </summary>
    public sealed record Publishing(long TargetTxIdBefore, long ReachedTxId);

    public Task<Listing?> ReadListingAsync(CancellationToken cancellationToken) => ReadAsync<Listing>("job.json", cancellationToken);

    public Task WriteListingAsync(Listing listing, CancellationToken cancellationToken) => WriteAsync("job.json", listing, cancellationToken);

    public Task<Publishing?> ReadPublishingAsync(CancellationToken cancellationToken) => ReadAsync<Publishing>("publishing.json", cancellationToken);

    public Task WritePublishingAsync(Publishing publishing, CancellationToken cancellationToken) => WriteAsync("publishing.json", publishing, cancellationToken);

    private async Task<T?> ReadAsync<T>(string name, CancellationToken cancellationToken)
        where T : class
    {
        var path = Path.Join(_folder, name);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Migration checkpoint '{path}' is damaged ({ex.Message}); delete the folder '{_folder}' to start over.", ex);
        }
    }

    /// <summary>Writes a checkpoint file whole or not at all: a temporary file, fsynced, renamed over the old one.</summary>
    private async Task WriteAsync<T>(string name, T value, CancellationToken cancellationToken)
    {
        var path = Path.Join(_folder, name);
        var temp = path + ".tmp";
        await using (var stream = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(stream, value, Json, cancellationToken).ConfigureAwait(false);
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
