using System.Text.Json;
using Unitization.StateStore;

namespace Unitization.Router.Mounts;

/// <summary>The mounts of the admin API in the state store: one row per path, the definition as JSON.</summary>
internal sealed class StateStoreMountStore(IStateDatabase database) : IMountStore
{
    public static readonly StateMigration Migration = new(
        "router",
        1,
        "mounts",
        "CREATE TABLE IF NOT EXISTS router_mounts (path TEXT PRIMARY KEY, definition TEXT NOT NULL, updated_at TEXT NOT NULL);");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<MountOptions>> ListAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = StateCommand.Create(connection, "SELECT path, definition FROM router_mounts ORDER BY path");
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var mounts = new List<MountOptions>();
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var mount = JsonSerializer.Deserialize<MountOptions>(reader.GetString(1), Json)
                            ?? throw new InvalidDataException($"router_mounts: the row for '{reader.GetString(0)}' holds no definition");
                        mounts.Add(mount);
                    }

                    return mounts;
                }
            }
        }
    }

    public async Task PutAsync(MountOptions mount, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mount);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = StateCommand.Create(
                connection,
                "INSERT INTO router_mounts (path, definition, updated_at) VALUES (@path, @definition, @now) " +
                "ON CONFLICT (path) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at",
                ("@path", mount.Path),
                ("@definition", JsonSerializer.Serialize(mount, Json)),
                ("@now", now.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = StateCommand.Create(connection, "DELETE FROM router_mounts WHERE path = @path", ("@path", path));
            await using (command.ConfigureAwait(false))
            {
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            }
        }
    }
}
