using System.Data.Common;
using System.Globalization;

namespace Unitization.Host.Security.Audit;

/// <summary>The audit log in the state store (<c>security_audit</c>): constant SQL, values as parameters.</summary>
internal static class AuditStore
{
    public static async Task AppendAsync(DbConnection connection, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            await using var command = ApiTokenStore.Command(
                connection,
                "INSERT INTO security_audit (at, principal, method, path, status, result, client, detail) VALUES ($at, $principal, $method, $path, $status, $result, $client, $detail);",
                ("$at", Time(record.At)),
                ("$principal", record.Principal),
                ("$method", record.Method),
                ("$path", record.Path),
                ("$status", record.Status),
                ("$result", record.Result),
                ("$client", record.Client),
                ("$detail", record.Detail));
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Newest first, from before <paramref name="before"/> (an id), within [from, to), of one principal when given.</summary>
    public static async Task<AuditPage> QueryAsync(
        DbConnection connection, DateTimeOffset? from, DateTimeOffset? to, string? principal, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var command = ApiTokenStore.Command(
            connection,
            "SELECT id, at, principal, method, path, status, result, client, detail FROM security_audit " +
            "WHERE ($from IS NULL OR at >= $from) AND ($to IS NULL OR at < $to) AND ($principal IS NULL OR principal = $principal) AND ($before IS NULL OR id < $before) " +
            "ORDER BY id DESC LIMIT $limit;",
            ("$from", from is { } f ? Time(f) : null),
            ("$to", to is { } t ? Time(t) : null),
            ("$principal", principal),
            ("$before", before),
            ("$limit", limit + 1));
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new AuditRecord(
                reader.GetInt64(0),
                DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetInt32(5),
                reader.GetString(6),
                reader.GetString(7),
                reader.GetString(8)));
        }

        var more = records.Count > limit;
        if (more)
        {
            records.RemoveAt(records.Count - 1);
        }

        return new AuditPage(records, more ? records[^1].Id : null);
    }

    // UTC, fixed width: text order is time order
    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
