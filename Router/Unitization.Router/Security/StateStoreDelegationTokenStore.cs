using System.Data.Common;
using System.Security.Cryptography;
using Unitization.StateStore;

namespace Unitization.Router.Security;

/// <summary>
/// Delegation tokens and their master keys in the state store, so every router instance validates, renews and
/// cancels the tokens any of them issued (as Hadoop's SQL and ZooKeeper secret managers share them between Routers):
/// <c>webhdfs_token_keys</c> (id, secret, creation), <c>webhdfs_tokens</c> (sequence number, owner, renew-until,
/// max date; a cancelled token's row is gone) and one sequence counter.
/// </summary>
internal sealed class StateStoreDelegationTokenStore(IStateDatabase database)
{
    public static readonly StateMigration Migration = new(
        "router-security",
        1,
        "webhdfs-delegation-tokens",
        "CREATE TABLE IF NOT EXISTS webhdfs_token_keys (key_id BIGINT PRIMARY KEY, secret TEXT NOT NULL, created_ms BIGINT NOT NULL);" +
        "CREATE TABLE IF NOT EXISTS webhdfs_tokens (sequence BIGINT PRIMARY KEY, owner TEXT NOT NULL, renew_until_ms BIGINT NOT NULL, max_ms BIGINT NOT NULL);" +
        "CREATE TABLE IF NOT EXISTS webhdfs_token_sequence (id INTEGER PRIMARY KEY, value BIGINT NOT NULL);" +
        "INSERT INTO webhdfs_token_sequence (id, value) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;");

    /// <summary>The newest master key, made anew (64 random bytes) when there is none or it is older than <paramref name="updateInterval"/>.</summary>
    public async Task<(int Id, byte[] Secret)> CurrentKeyAsync(long nowMs, TimeSpan updateInterval, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var latest = await LatestKeyAsync(cancellationToken).ConfigureAwait(false);
            if (latest is { } key && nowMs - key.CreatedMs < (long)updateInterval.TotalMilliseconds)
            {
                return (key.Id, key.Secret);
            }

            var id = (latest?.Id ?? 0) + 1;
            await ExecuteAsync(
                "INSERT INTO webhdfs_token_keys (key_id, secret, created_ms) VALUES (@id, @secret, @now) ON CONFLICT (key_id) DO NOTHING",
                cancellationToken,
                ("@id", (long)id),
                ("@secret", Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))),
                ("@now", nowMs)).ConfigureAwait(false);
        }

        // another instance rolled the key at the same moment each time: use whatever is newest now
        var newest = await LatestKeyAsync(cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("webhdfs_token_keys: no master key after three attempts to create one");
        return (newest.Id, newest.Secret);
    }

    public async Task<byte[]?> KeyAsync(int id, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT secret FROM webhdfs_token_keys WHERE key_id = @id", r => Convert.FromBase64String(r.GetString(0)), cancellationToken, ("@id", (long)id)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The next sequence number (one counter row, incremented in one statement by every instance).</summary>
    public async Task<int> NextSequenceAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("UPDATE webhdfs_token_sequence SET value = value + 1 WHERE id = 1 RETURNING value", r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return rows.Count == 1 && rows[0] <= int.MaxValue ? (int)rows[0] : throw new InvalidOperationException("webhdfs_token_sequence: the counter row is missing or exhausted");
    }

    /// <summary>Records an issued token and forgets tokens whose renewal ran out before <paramref name="nowMs"/>.</summary>
    public async Task AddAsync(int sequence, string owner, long renewUntilMs, long maxMs, long nowMs, CancellationToken cancellationToken)
    {
        await ExecuteAsync("DELETE FROM webhdfs_tokens WHERE renew_until_ms < @now", cancellationToken, ("@now", nowMs)).ConfigureAwait(false);
        await ExecuteAsync(
            "INSERT INTO webhdfs_tokens (sequence, owner, renew_until_ms, max_ms) VALUES (@sequence, @owner, @renew, @max)",
            cancellationToken,
            ("@sequence", (long)sequence),
            ("@owner", owner),
            ("@renew", renewUntilMs),
            ("@max", maxMs)).ConfigureAwait(false);
    }

    /// <summary>Until when a live token is valid; null when it was never issued here, was cancelled or was forgotten.</summary>
    public async Task<long?> RenewUntilAsync(int sequence, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT renew_until_ms FROM webhdfs_tokens WHERE sequence = @sequence", r => r.GetInt64(0), cancellationToken, ("@sequence", (long)sequence)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<bool> RenewAsync(int sequence, long renewUntilMs, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE webhdfs_tokens SET renew_until_ms = @renew WHERE sequence = @sequence", cancellationToken, ("@renew", renewUntilMs), ("@sequence", (long)sequence)).ConfigureAwait(false) == 1;

    public async Task<bool> RemoveAsync(int sequence, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM webhdfs_tokens WHERE sequence = @sequence", cancellationToken, ("@sequence", (long)sequence)).ConfigureAwait(false) == 1;

    private async Task<(int Id, byte[] Secret, long CreatedMs)?> LatestKeyAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT key_id, secret, created_ms FROM webhdfs_token_keys ORDER BY key_id DESC LIMIT 1",
            r => ((int)r.GetInt64(0), Convert.FromBase64String(r.GetString(1)), r.GetInt64(2)),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = StateCommand.Create(connection, sql, parameters);
            await using (command.ConfigureAwait(false))
            {
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = StateCommand.Create(connection, sql, parameters);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var rows = new List<T>();
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add(read(reader));
                    }

                    return rows;
                }
            }
        }
    }
}
