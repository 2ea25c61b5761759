using System.Globalization;
using Unitization.Replication.Events;
using Unitization.StateStore;
using Unitization.StateStore.Leadership;

namespace Unitization.Replication.Pump;

/// <summary>
/// ACID writes the pump holds until their transaction ends, in the state store: a COMMIT_TXN publishes them, an
/// ABORT_TXN drops them. A batch's new writes, the transactions it ended and the checkpoint are stored in one
/// transaction, after Kafka acknowledged the batch: a crash in between re-reads the batch and decides the same again.
/// </summary>
internal sealed class AcidWriteBuffer(IStateDatabase database, TimeProvider time)
{
    public async Task<IReadOnlyList<HmsEventEnvelope>> LoadAsync(string source, long txnId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT envelope FROM replication_acid_writes WHERE source = @source AND txn_id = @txn ORDER BY event_id";
        command.Add("@source", source);
        command.Add("@txn", txnId);
        var writes = new List<HmsEventEnvelope>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            writes.Add(HmsEventEnvelope.Parse(reader.GetString(0)));
        }

        return writes;
    }

    public async Task<long> CountAsync(string source, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM replication_acid_writes WHERE source = @source";
        command.Add("@source", source);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Stores <paramref name="held"/> (txn id, write), forgets the <paramref name="ended"/> transactions and moves the
    /// checkpoint; with a <paramref name="lease"/>, all of it only under that lease's epoch (refused once another leads).
    /// </summary>
    public async Task CommitBatchAsync(
        string source, IReadOnlyList<(long TxnId, HmsEventEnvelope Write)> held, IReadOnlyCollection<long> ended, long lastEventId, LeaderLease? lease,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (lease is not null)
        {
            await lease.FenceAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (txn, write) in held)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO replication_acid_writes (source, event_id, txn_id, envelope) VALUES (@source, @event, @txn, @envelope)
                ON CONFLICT (source, event_id) DO NOTHING
                """;
            insert.Add("@source", source);
            insert.Add("@event", write.EventId);
            insert.Add("@txn", txn);
            insert.Add("@envelope", write.ToJson());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var txn in ended)
        {
            await using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM replication_acid_writes WHERE source = @source AND txn_id = @txn";
            delete.Add("@source", source);
            delete.Add("@txn", txn);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await PumpCheckpointStore.SetAsync(connection, transaction, source, lastEventId, time, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
