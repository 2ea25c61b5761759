using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;

namespace Unitization.Host.Security.Audit;

/// <summary>
/// The audit log in the state store (<c>security_audit_log</c>): constant SQL fragments, values as parameters, the same
/// text on SQLite and PostgreSQL. A record's id is its time (UTC, fixed width) and a random suffix, so ids sort by time
/// across processes without a sequence.
/// </summary>
internal static class AuditStore
{
    public static async Task AppendAsync(DbConnection connection, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            await using var command = ApiTokenStore.Command(
                connection,
                "INSERT INTO security_audit_log (id, at, principal, method, path, status, result, client, detail) VALUES (@id, @at, @principal, @method, @path, @status, @result, @client, @detail);",
                ("@id", Time(record.At) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))),
                ("@at", Time(record.At)),
                ("@principal", record.Principal),
                ("@method", record.Method),
                ("@path", record.Path),
                ("@status", record.Status),
                ("@result", record.Result),
                ("@client", record.Client),
                ("@detail", record.Detail));
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Newest first, older than the id <paramref name="before"/>, within [from, to), of one principal when given.</summary>
    public static async Task<AuditPage> QueryAsync(
        DbConnection connection, DateTimeOffset? from, DateTimeOffset? to, string? principal, string? before, int limit, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("@limit", limit + 1) };
        void Filter(string clause, string name, object? value)
        {
            if (value is not null)
            {
                where.Add(clause);
                parameters.Add((name, value));
            }
        }

        Filter("at >= @from", "@from", from is { } f ? Time(f) : null);
        Filter("at < @to", "@to", to is { } t ? Time(t) : null);
        Filter("principal = @principal", "@principal", principal);
        Filter("id < @before", "@before", before);
        var sql = "SELECT id, at, principal, method, path, status, result, client, detail FROM security_audit_log" +
            (where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where)) + " ORDER BY id DESC LIMIT @limit;";
        await using var command = ApiTokenStore.Command(connection, sql, [.. parameters]);
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new AuditRecord(
                reader.GetString(0),
                DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture),
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
