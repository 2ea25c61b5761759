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
    private readonly Lock _spoolGate = new();
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

    /// <summary>Whether batches wait in the spool (ClickHouse could not take them).</summary>
    public bool HasSpooled => !_spool.IsEmpty;

    /// <summary>Stores a batch of records: encoded, then <see cref="DeduplicateAsync"/> and <see cref="StoreFreshAsync"/>.</summary>
    public async Task StoreAsync(IReadOnlyList<TrafficRecord> records, CancellationToken cancellationToken)
    {
        using var batch = EncodedBatch.Of(records);
        var fresh = await DeduplicateAsync(batch, cancellationToken).ConfigureAwait(false);
        await StoreFreshAsync(fresh, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first half of storing a batch, run by one thread in batch order (the ingest's dedupe stage, so the next
    /// batch is deduplicated while the last one is inserted): drops, in place, the rows whose id hash the filter has
    /// seen and adds the rest to it. The ids added count as stored from here on: every batch that leaves this method
    /// goes to ClickHouse or the spool, or, when the ingest fails before that, is consumed again after the filter was
    /// rebuilt (<see cref="PartitionsAssigned"/>).
    /// </summary>
    public async Task<FreshRows> DeduplicateAsync(EncodedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var now = _time.GetUtcNow();
        _filter.Evict(now);
        if (_filter.IsStale)
        {
            await TryReloadFilterAsync(now, cancellationToken).ConfigureAwait(false);
        }

        var check = new FreshnessCheck(_filter, now, _filter.IsStale);
        var duplicates = batch.Retain(check, static (check, idHash, time) => check.Admit(idHash, time));
        _status.AddDuplicates(duplicates);
        return new FreshRows(batch, check.Verify);
    }

    /// <summary>
    /// The second half: inserts what <see cref="DeduplicateAsync"/> let through, checked against ClickHouse first when
    /// the filter could not vouch for it; to the spool when ClickHouse cannot take it or older batches wait there.
    /// </summary>
    public async Task StoreFreshAsync(FreshRows fresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        var batch = fresh.Batch;
        if (batch.Count == 0)
        {
            return;
        }

        if (!_spool.IsEmpty)
        {
            Spool(batch, "earlier batches are still waiting in the spool");
            return;
        }

        var candidates = batch.Count;
        try
        {
            await InsertUnstoredAsync(batch, fresh.Verify, cancellationToken).ConfigureAwait(false);
            NoteStored(batch.Count, candidates - batch.Count);
            AnalyticsLog.BatchStored(_logger, batch.Count, candidates - batch.Count);
        }
        catch (ClickHouseException e)
        {
            // rows found stored already are gone from the batch: spooling the rest is exact
            _status.AddDuplicates(candidates - batch.Count);
            Spool(batch, e.Message);
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
            using var batch = EncodedBatch.Of(TrafficSpool.Read(file));
            var spooled = batch.Count;
            try
            {
                await InsertUnstoredAsync(batch, verify: true, cancellationToken).ConfigureAwait(false);
                TrafficSpool.Delete(file);
                NoteStored(batch.Count, spooled - batch.Count);
                _status.PendingSpoolFiles = _spool.Pending().Count;
                AnalyticsLog.SpoolDrained(_logger, Path.GetFileName(file), spooled, batch.Count);
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

    private void Spool(EncodedBatch batch, string reason)
    {
        var file = _spool.Write(batch.Records());
        _status.AddSpooled(batch.Count);
        lock (_spoolGate)
        {
            // inserts run a few at once, so two may spool together: the retry is scheduled by whichever comes first
            _status.PendingSpoolFiles = _spool.Pending().Count;
            var now = _time.GetUtcNow();
            if (_nextRetry <= now)
            {
                _nextRetry = now + _retryInterval;
            }
        }

        _status.LastError = reason;
        AnalyticsLog.BatchSpooled(_logger, batch.Count, reason, Path.GetFileName(file));
    }

    /// <summary>Inserts the batch, first without the rows ClickHouse holds already when <paramref name="verify"/>.</summary>
    private async Task InsertUnstoredAsync(EncodedBatch batch, bool verify, CancellationToken cancellationToken)
    {
        if (verify)
        {
            await DropStoredAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        if (batch.Count > 0)
        {
            await _table.InsertAsync(batch.Rows, batch.Count, cancellationToken).ConfigureAwait(false);
        }
    }

    private void NoteStored(int stored, int duplicates)
    {
        _status.AddStored(stored);
        _status.AddDuplicates(duplicates);
        _status.LastStoredAt = _time.GetUtcNow();
        _status.LastError = null;
    }

    /// <summary>Drops the rows ClickHouse holds already (an insert that landed though its answer was lost).</summary>
    private async Task DropStoredAsync(EncodedBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var idHashes = new HashSet<ulong>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            idHashes.Add(batch.IdHash(i));
        }

        var (from, to) = batch.TimeRange();
        var stored = await _table.StoredIdHashesAsync(idHashes, from, to, cancellationToken).ConfigureAwait(false);
        if (stored.Count > 0)
        {
            batch.Retain(stored, static (stored, idHash, _) => !stored.Contains(idHash));
        }
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
/// A batch after deduplication (the duplicates dropped from it in place), and whether its rows must be checked against
/// ClickHouse first (the filter could not vouch for them).
/// </summary>
internal sealed record FreshRows(EncodedBatch Batch, bool Verify);

/// <summary>The dedupe stage's question for each row: is its id new to the filter, and can the filter vouch for it.</summary>
internal sealed class FreshnessCheck(DedupeFilter filter, DateTimeOffset now, bool verify)
{
    /// <summary>Whether some row admitted must be checked against ClickHouse (the filter was stale, or a row is older than its window).</summary>
    public bool Verify { get; private set; } = verify;

    public bool Admit(ulong idHash, DateTimeOffset time)
    {
        if (!filter.TryAdd(idHash, time))
        {
            return false;
        }

        Verify |= filter.IsOutsideWindow(time, now);
        return true;
    }
}
