using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Unitization.Namespaces;
using Unitization.StateStore;

namespace Unitization.Router.Versions;

/// <summary>
/// Version checkpoints in the state store: one row per namespace, the per-path versions as gzip-compressed JSON
/// (<c>{"subtree":{path:txid},"replaced":{path:txid}}</c>), replaced in one statement so a row is always whole.
/// </summary>
internal sealed class StateStoreVersionCheckpointStore(IStateDatabase database) : IVersionCheckpointStore
{
    public static readonly StateMigration Migration = new(
        "router",
        2,
        "version_checkpoints",
        "CREATE TABLE IF NOT EXISTS router_version_checkpoints (datacenter TEXT PRIMARY KEY, position BIGINT NOT NULL, " +
        "fingerprint TEXT NOT NULL, versions BLOB NOT NULL, saved_at TEXT NOT NULL);")
    {
        PostgreSql = "CREATE TABLE IF NOT EXISTS router_version_checkpoints (datacenter TEXT PRIMARY KEY, position BIGINT NOT NULL, " +
            "fingerprint TEXT NOT NULL, versions BYTEA NOT NULL, saved_at TEXT NOT NULL);",
    };

    public async Task<VersionCheckpoint?> LoadAsync(string datacenter, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = StateCommand.Create(connection, "SELECT position, fingerprint, versions, saved_at FROM router_version_checkpoints WHERE datacenter = @dc", ("@dc", datacenter));
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return null;
                    }

                    var versions = Decode((byte[])reader.GetValue(2), datacenter);
                    return new VersionCheckpoint(
                        datacenter,
                        new TxId(reader.GetInt64(0)),
                        reader.GetString(1),
                        versions.Subtree,
                        versions.Replaced,
                        DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
                }
            }
        }
    }

    public async Task SaveAsync(VersionCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = StateCommand.Create(
                connection,
                "INSERT INTO router_version_checkpoints (datacenter, position, fingerprint, versions, saved_at) VALUES (@dc, @position, @fingerprint, @versions, @saved) " +
                "ON CONFLICT (datacenter) DO UPDATE SET position = excluded.position, fingerprint = excluded.fingerprint, versions = excluded.versions, saved_at = excluded.saved_at",
                ("@dc", checkpoint.Datacenter),
                ("@position", checkpoint.Position.Value),
                ("@fingerprint", checkpoint.Fingerprint),
                ("@versions", Encode(checkpoint)),
                ("@saved", checkpoint.SavedAt.ToString("O", CultureInfo.InvariantCulture)));
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static byte[] Encode(VersionCheckpoint checkpoint)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, new StoredVersions(checkpoint.Subtree, checkpoint.Replaced), StoredVersions.Json);
        }

        return buffer.ToArray();
    }

    private static (IReadOnlyDictionary<string, long> Subtree, IReadOnlyDictionary<string, long> Replaced) Decode(byte[] blob, string datacenter)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(blob), CompressionMode.Decompress);
            var stored = JsonSerializer.Deserialize<StoredVersions>(gzip, StoredVersions.Json)
                ?? throw new InvalidDataException("the versions are empty");
            return (stored.Subtree ?? new Dictionary<string, long>(), stored.Replaced ?? new Dictionary<string, long>());
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"router_version_checkpoints: the row of '{datacenter}' holds unreadable versions ({ex.Message})", ex);
        }
    }

    private sealed record StoredVersions(IReadOnlyDictionary<string, long>? Subtree, IReadOnlyDictionary<string, long>? Replaced)
    {
        public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    }
}
