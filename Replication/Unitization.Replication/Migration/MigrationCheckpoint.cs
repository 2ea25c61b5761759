using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Unitization.Replication.Migration;

/// <summary>
/// A migration's checkpoint folder: <c>job.json</c> (the spec, the snapshot txid and the copy listing, written once)
/// <c>done.log</c> (one relative path per verified file, appended and flushed as each completes), for each big file
/// being copied in chunks <c>chunks/KEY.log</c> (one line per verified chunk: index, length, XXH128; appended and
/// fsynced once the chunk's part is durable in the target) and, at the end, <c>publishing.json</c>. A killed migration
/// started again reads them and copies only what is not in <c>done.log</c>, a big file from its first chunk not verified.
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

    private MigrationCheckpoint(string folder, bool create)
    {
        _folder = folder;
        if (create)
        {
            Directory.CreateDirectory(folder);
        }
    }

    public sealed record Listing(MigrationSpec Spec, long SnapshotTxId, List<ListedFile> Files, List<string> Directories);

    public sealed record ListedFile(string Relative, long Length);

    /// <summary>One chunk of a big file, copied into its part in the target and verified: its index, length and the XXH128 of the source's bytes.</summary>
    public sealed record VerifiedChunk(int Index, long Length, string Hash);

    public string Folder => _folder;

    /// <summary>
    /// Written (durably) just before the publish: the target's last txid then and the txid the staged copy reflects. A
    /// run resumed with it finds out from the target's edit log whether the publish happened, instead of publishing
    /// whatever the staging folder holds by then (nothing, or the replica an exchange swapped out).
    /// </summary>
    public sealed record Publishing(long TargetTxIdBefore, long ReachedTxId);

    /// <summary>The checkpoint in <paramref name="folder"/>, or null when there is none (never creates it).</summary>
    public static MigrationCheckpoint? OpenExisting(string folder) => Directory.Exists(folder) ? new MigrationCheckpoint(folder, create: false) : null;

    /// <summary>A short file-name-safe key for a file's relative path (chunk logs, part folders).</summary>
    public static string Key(string relative) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(relative)))[..24];

    public Task<Listing?> ReadListingAsync(CancellationToken cancellationToken) => ReadAsync<Listing>("job.json", cancellationToken);

    /// <summary>The listing, read synchronously (null when absent or damaged): for the message when a run is interrupted.</summary>
    public Listing? ReadListing()
    {
        try
        {
            var path = Path.Join(_folder, "job.json");
            return File.Exists(path) ? JsonSerializer.Deserialize<Listing>(File.ReadAllText(path), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public Task WriteListingAsync(Listing listing, CancellationToken cancellationToken) => WriteAsync("job.json", listing, cancellationToken);

    public Task<Publishing?> ReadPublishingAsync(CancellationToken cancellationToken) => ReadAsync<Publishing>("publishing.json", cancellationToken);

    public Task WritePublishingAsync(Publishing publishing, CancellationToken cancellationToken) => WriteAsync("publishing.json", publishing, cancellationToken);

    public HashSet<string> ReadDone()
    {
        var path = Path.Join(_folder, "done.log");
        // a line cut by a kill has no newline yet: ignore it, that file is copied again
        return File.Exists(path)
            ? File.ReadAllText(path).Split('\n').SkipLast(1).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
    }

    public StreamWriter OpenDoneLog() => new(new FileStream(Path.Join(_folder, "done.log"), FileMode.Append, FileAccess.Write, FileShare.Read)) { NewLine = "\n" };

    /// <summary>The chunks of a big file recorded as verified (a line cut by a kill is ignored: that chunk is copied again).</summary>
    public List<VerifiedChunk> ReadChunks(string relative)
    {
        var path = ChunkLog(relative);
        var chunks = new List<VerifiedChunk>();
        if (!File.Exists(path))
        {
            return chunks;
        }

        foreach (var line in File.ReadAllText(path).Split('\n').SkipLast(1))
        {
            var fields = line.Split(' ');
            if (fields.Length != 3
                || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                break; // damaged from here on: copy again from this chunk
            }

            chunks.Add(new VerifiedChunk(index, length, fields[2]));
        }

        return chunks;
    }

    /// <summary>Records a verified chunk: one line appended and fsynced.</summary>
    public async Task AppendChunkAsync(string relative, VerifiedChunk chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        Directory.CreateDirectory(Path.Join(_folder, "chunks"));
        var stream = new FileStream(ChunkLog(relative), FileMode.Append, FileAccess.Write, FileShare.Read);
        await using (stream.ConfigureAwait(false))
        {
            var line = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{chunk.Index} {chunk.Length} {chunk.Hash}\n"));
            await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Forgets everything but the folder itself: a new listing starts from scratch.</summary>
    public void Reset()
    {
        foreach (var name in new[] { "done.log", "publishing.json", "job.json" })
        {
            File.Delete(Path.Join(_folder, name));
        }

        var chunks = Path.Join(_folder, "chunks");
        if (Directory.Exists(chunks))
        {
            Directory.Delete(chunks, recursive: true);
        }
    }

    public void Delete()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private string ChunkLog(string relative) => Path.Join(_folder, "chunks", Key(relative) + ".log");

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
        Directory.CreateDirectory(_folder);
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
}
