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
        foreach (var file in _spool.Pending())
        {
            foreach (var record in TrafficSpool.Read(file))
            {
                _filter.TryAdd(RecordIdHash.Of(record.Id), record.Time);
            }
        }

        _status.PendingSpoolFiles = _spool.Pending().Count;
    }

    /// <summary>Another consumer may have stored records of the partitions this one now owns: reload before trusting the filter.</summary>
    public void PartitionsAssigned() => _filter.MarkStale();

    /// <summary>
    /// Stores a batch; <paramref name="rowBinary"/>, when given, is the batch already encoded (exactly
    /// <paramref name="records"/>, in order), sent as it is unless duplicates had to be dropped first.
    /// </summary>
    public async Task StoreAsync(IReadOnlyList<TrafficRecord> records, CancellationToken cancellationToken, ReadOnlyMemory<byte> rowBinary = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var now = _time.GetUtcNow();
        _filter.Evict(now);
        if (_filter.IsStale)
        {
            await TryReloadFilterAsync(now, cancellationToken).ConfigureAwait(false);
        }

        var verify = _filter.IsStale;
        var fresh = new List<TrafficRecord>(records.Count);
        foreach (var record in records)
        {
            if (!_filter.TryAdd(RecordIdHash.Of(record.Id), record.Time))
            {
                continue;
            }

            verify |= _filter.IsOutsideWindow(record.Time, now);
            fresh.Add(record);
        }

        _status.AddDuplicates(records.Count - fresh.Count);
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
            var toInsert = verify ? await WithoutStoredAsync(fresh, cancellationToken).ConfigureAwait(false) : fresh;
            if (toInsert.Count == records.Count && !rowBinary.IsEmpty)
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
            AnalyticsLog.BatchStored(_logger, toInsert.Count, records.Count - toInsert.Count);
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

    private void Spool(List<TrafficRecord> records, string reason)
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

    private async Task<List<TrafficRecord>> WithoutStoredAsync(List<TrafficRecord> records, CancellationToken cancellationToken)
    {
        var stored = await _table.StoredIdHashesAsync(records, cancellationToken).ConfigureAwait(false);
        return stored.Count == 0 ? records : [.. records.Where(r => !stored.Contains(RecordIdHash.Of(r.Id)))];
    }

    private async Task TryReloadFilterAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - _filter.Window;
        try
        {
            var stored = await _table.IdHashesSinceAsync(since, cancellationToken).ConfigureAwait(false);
            foreach (var (idHash, time) in stored)
            {
                _filter.TryAdd(idHash, time);
            }

            _filter.MarkLoaded();
            AnalyticsLog.DedupeLoaded(_logger, _filter.Count, since);
        }
        catch (ClickHouseException e)
        {
            // stays stale: every batch is checked against ClickHouse (or spooled) until a reload succeeds
            _status.LastError = e.Message;
        }
    }
}
