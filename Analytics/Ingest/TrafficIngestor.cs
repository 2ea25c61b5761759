using Microsoft.Extensions.Logging;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Ingest;

/// <summary>
/// Makes each consumed batch durable exactly once: duplicates (same record id) are dropped against the dedupe filter
/// (or against ClickHouse when the filter cannot vouch), the rest goes to ClickHouse in one insert, or, when ClickHouse
/// cannot take it, to the disk spool. Only after <see cref="StoreAsync"/> returns may the consumer commit offsets.
/// Spooled batches are retried in order, each checked against what ClickHouse already holds (an insert that landed
/// but whose answer was lost is not written twice).
/// </summary>
internal sealed class TrafficIngestor
{
    private readonly ITrafficTable _table;
    private readonly TrafficSpool _spool;
    private readonly DedupeFilter _filter;
    private readonly IngestStatus _status;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _retryInterval;
    private DateTimeOffset _nextRetry;

    public TrafficIngestor(ITrafficTable table, TrafficSpool spool, DedupeFilter filter, IngestStatus status, TimeProvider time, ILogger logger, TimeSpan retryInterval)
    {
        _table = table;
        _spool = spool;
        _filter = filter;
        _status = status;
        _time = time;
        _logger = logger;
        _retryInterval = retryInterval;
        AddSpooledToFilter();
        _status.PendingSpoolFiles = _spool.Pending().Count;
    }

    /// <summary>
    /// Another consumer may have stored records of the partitions this one now owns, and batches this one deduplicated
    /// but never stored (the ingest failed and started over) are consumed again: rebuild the filter before trusting it.
    /// </summary>
    public void PartitionsAssigned() => _filter.MarkStale();

    /// <summary>Stores a batch: <see cref="DeduplicateAsync"/> then <see cref="StoreFreshAsync"/>.</summary>
    public Task StoreAsync(IReadOnlyList<TrafficRecord> records, CancellationToken cancellationToken) =>
        StoreAsync(records, default, cancellationToken);

    /// <summary>
    /// Stores a batch; <paramref name="rowBinary"/>, when given, is the batch already encoded (exactly
    /// <paramref name="records"/>, in order), sent as it is unless duplicates had to be dropped first.
    /// </summary>
    public async Task StoreAsync(IReadOnlyList<TrafficRecord> records, ReadOnlyMemory<byte> rowBinary, CancellationToken cancellationToken)
    {
        var fresh = await DeduplicateAsync(records, null, cancellationToken).ConfigureAwait(false);
        await StoreFreshAsync(fresh, rowBinary, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first half of storing a batch, run by one thread in batch order (the ingest's dedupe stage, so the next
    /// batch is deduplicated while the last one is inserted): drops the records whose id the filter has seen and adds
    /// the rest to it. <paramref name="idHashes"/>, when given, are the records' <see cref="RecordIdHash"/>es in order.
    /// The ids added count as stored from here on: every batch that leaves this method goes to ClickHouse or the spool,
    /// or, when the ingest fails before that, is consumed again after the filter was rebuilt (<see cref="PartitionsAssigned"/>).
    /// </summary>
    public async Task<FreshRecords> DeduplicateAsync(IReadOnlyList<TrafficRecord> records, ulong[]? idHashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var now = _time.GetUtcNow();
        _filter.Evict(now);
        if (_filter.IsStale)
        {
            await TryReloadFilterAsync(now, cancellationToken).ConfigureAwait(false);
        }

        var verify = _filter.IsStale;
        List<TrafficRecord>? fresh = null;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var idHash = idHashes is null ? RecordIdHash.Of(record.Id) : idHashes[i];
            if (!_filter.TryAdd(idHash, record.Time))
            {
                // the first duplicate: from here on the fresh records are a list of their own
                fresh ??= [.. records.Take(i)];
                continue;
            }

            verify |= _filter.IsOutsideWindow(record.Time, now);
            fresh?.Add(record);
        }

        _status.AddDuplicates(records.Count - (fresh?.Count ?? records.Count));
        return new FreshRecords(fresh ?? records, fresh is null, verify);
    }

    /// <summary>
    /// The second half: inserts what <see cref="DeduplicateAsync"/> let through, checked against ClickHouse first when
    /// the filter could not vouch for it; to the spool when ClickHouse cannot take it or older batches wait there.
    /// </summary>
    public async Task StoreFreshAsync(FreshRecords batch, ReadOnlyMemory<byte> rowBinary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var fresh = batch.Records;
        if (fresh.Count == 0)
        {
            return;
        }

        if (!_spool.IsEmpty)
        {
            Spool(fresh, "earlier batches are still waiting in the spool");
            return;
        }

        try
        {
            var toInsert = batch.Verify ? await WithoutStoredAsync(fresh, cancellationToken).ConfigureAwait(false) : fresh;
            if (batch.Whole && toInsert.Count == fresh.Count && !rowBinary.IsEmpty)
            {
                // nothing dropped: the encoded batch is exactly what goes in
                await _table.InsertAsync(toInsert, rowBinary, cancellationToken).ConfigureAwait(false);
            }
            else if (toInsert.Count > 0)
            {
                await _table.InsertAsync(toInsert, cancellationToken).ConfigureAwait(false);
            }

            _status.AddStored(toInsert.Count);
            _status.AddDuplicates(fresh.Count - toInsert.Count);
            _status.LastStoredAt = _time.GetUtcNow();
            _status.LastError = null;
            AnalyticsLog.BatchStored(_logger, toInsert.Count, fresh.Count - toInsert.Count);
        }
        catch (ClickHouseException e)
        {
            Spool(fresh, e.Message);
        }
    }

    /// <summary>Retries the spool when it is due; true when nothing waits any more.</summary>
    public async Task<bool> DrainSpoolAsync(CancellationToken cancellationToken, bool force = false)
    {
        if (_spool.IsEmpty)
        {
            return true;
        }

        var now = _time.GetUtcNow();
        if (!force && now < _nextRetry)
        {
            return false;
        }

        foreach (var file in _spool.Pending())
        {
            var records = TrafficSpool.Read(file);
            try
            {
                var missing = await WithoutStoredAsync(records, cancellationToken).ConfigureAwait(false);
                if (missing.Count > 0)
                {
                    await _table.InsertAsync(missing, cancellationToken).ConfigureAwait(false);
                }

                TrafficSpool.Delete(file);
                _status.AddStored(missing.Count);
                _status.AddDuplicates(records.Count - missing.Count);
                _status.LastStoredAt = _time.GetUtcNow();
                _status.LastError = null;
                _status.PendingSpoolFiles = _spool.Pending().Count;
                AnalyticsLog.SpoolDrained(_logger, Path.GetFileName(file), records.Count, missing.Count);
            }
            catch (ClickHouseException e)
            {
                _status.LastError = e.Message;
                _nextRetry = _time.GetUtcNow() + _retryInterval;
                AnalyticsLog.SpoolRetryFailed(_logger, Path.GetFileName(file), e.Message);
                return false;
            }
        }

        return true;
    }

    private void Spool(IReadOnlyList<TrafficRecord> records, string reason)
    {
        var file = _spool.Write(records);
        _status.AddSpooled(records.Count);
        _status.PendingSpoolFiles = _spool.Pending().Count;
        if (_spool.Pending().Count == 1)
        {
            _nextRetry = _time.GetUtcNow() + _retryInterval;
        }

        _status.LastError = reason;
        AnalyticsLog.BatchSpooled(_logger, records.Count, reason, Path.GetFileName(file));
    }

    private async Task<IReadOnlyList<TrafficRecord>> WithoutStoredAsync(IReadOnlyList<TrafficRecord> records, CancellationToken cancellationToken)
    {
        var stored = await _table.StoredIdHashesAsync(records, cancellationToken).ConfigureAwait(false);
        return stored.Count == 0 ? records : [.. records.Where(r => !stored.Contains(RecordIdHash.Of(r.Id)))];
    }

    private async Task TryReloadFilterAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - _filter.Window;
        var generation = _filter.Generation;
        try
        {
            var stored = await _table.IdHashesSinceAsync(since, cancellationToken).ConfigureAwait(false);
            _filter.Clear();
            AddSpooledToFilter();
            foreach (var (idHash, time) in stored)
            {
                _filter.TryAdd(idHash, time);
            }

            _filter.MarkLoaded(generation);
            AnalyticsLog.DedupeLoaded(_logger, _filter.Count, since);
        }
        catch (ClickHouseException e)
        {
            // stays stale: every batch is checked against ClickHouse (or spooled) until a reload succeeds
            _status.LastError = e.Message;
        }
    }

    /// <summary>Spooled records count as stored: they go to ClickHouse when it is back.</summary>
    private void AddSpooledToFilter()
    {
        foreach (var file in _spool.Pending())
        {
            foreach (var record in TrafficSpool.Read(file))
            {
                _filter.TryAdd(RecordIdHash.Of(record.Id), record.Time);
            }
        }
    }
}

/// <summary>
/// A batch after deduplication: the records to store, whether that is the whole batch (so an encoding of the batch
/// is still exact), and whether they must be checked against ClickHouse first (the filter could not vouch for them).
/// </summary>
internal sealed record FreshRecords(IReadOnlyList<TrafficRecord> Records, bool Whole, bool Verify);
