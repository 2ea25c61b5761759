using System.Globalization;
using Unitization.StateStore;
using Unitization.StateStore.Leadership;

namespace Unitization.Replication.Pump;

/// <summary>The last HMS event id the pump published (and Kafka acknowledged), per metastore.</summary>
internal sealed class PumpCheckpointStore(IStateDatabase database, TimeProvider time)
{
    public async Task<long> GetAsync(string source, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT last_event_id FROM replication_pump WHERE source = @source";
        command.Add("@source", source);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Moves the checkpoint; with a <paramref name="lease"/>, only while it is still the current one (fenced).</summary>
    public async Task SetAsync(string source, long lastEventId, LeaderLease? lease, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (lease is not null)
        {
            await lease.FenceAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        }

        await SetAsync(connection, transaction, source, lastEventId, time, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves the checkpoint inside the caller's transaction (with what else the batch changed).</summary>
    internal static async Task SetAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string source, long lastEventId, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO replication_pump (source, last_event_id, updated_at) VALUES (@source, @id, @at)
            ON CONFLICT (source) DO UPDATE SET last_event_id = excluded.last_event_id, updated_at = excluded.updated_at
            """;
        command.Add("@source", source);
        command.Add("@id", lastEventId);
        command.Add("@at", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
