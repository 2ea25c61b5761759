using System.Data.Common;
using System.Globalization;

namespace Unitization.Host.Security;

/// <summary>API token hashes in the state store (<c>security_api_tokens</c>): constant SQL, values as parameters.</summary>
internal static class ApiTokenStore
{
    public static async Task<IReadOnlyList<StoredApiToken>> ListActiveAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var tokens = new List<StoredApiToken>();
        await using var command = Command(connection, "SELECT name, roles, sha256 FROM security_api_tokens WHERE revoked_at IS NULL ORDER BY name;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var roles = reader.GetString(1).Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(r => ApiRoles.TryParse(r, out var role) ? role : ApiRole.None).Where(r => r != ApiRole.None).ToList();
            tokens.Add(new StoredApiToken(reader.GetString(0), roles, reader.GetString(2)));
        }

        return tokens;
    }

    /// <summary>Stores a new token's hash; false when the name is taken by a token not revoked.</summary>
    public static async Task<bool> AddAsync(DbConnection connection, StoredApiToken token, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using (var delete = Command(connection, "DELETE FROM security_api_tokens WHERE name = @name AND revoked_at IS NOT NULL;", ("@name", token.Name)))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var command = Command(
            connection,
            "INSERT INTO security_api_tokens (name, roles, sha256, created_at) VALUES (@name, @roles, @sha, @at) ON CONFLICT (name) DO NOTHING;",
            ("@name", token.Name),
            ("@roles", string.Join(',', token.Roles.Select(ApiRoles.Name))),
            ("@sha", token.Sha256),
            ("@at", at.ToString("O", CultureInfo.InvariantCulture)));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Revokes a token by name; false when no active token has that name.</summary>
    public static async Task<bool> RevokeAsync(DbConnection connection, string name, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            "UPDATE security_api_tokens SET revoked_at = @at WHERE name = @name AND revoked_at IS NULL;",
            ("@name", name),
            ("@at", at.ToString("O", CultureInfo.InvariantCulture)));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    internal static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // the SQL is constant; values travel as parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
