using Microsoft.Extensions.Options;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;
using Unitization.Replication.Rules;

namespace Unitization.Replication.Pump;

/// <summary>
/// Reads the notification log with HMS's own filters, so only what the rules need crosses the wire:
/// <c>eventTypeSkipList</c> (statistics, constraints, functions), <c>catName</c>, and when every ruled table is in one
/// database, <c>dbName</c> and <c>tableNames</c>. COMMIT_TXN and ABORT_TXN carry no database, so a database filter
/// would hide them: with ACID replication on they are read by a second request that skips every other known type.
/// Filtered reads leave id gaps by design, so a cleaned log is detected by an unfiltered one-event probe, and the
/// checkpoint moves to the log's current id, read before both, when the filtered reads came back short (nothing more
/// to read there); events after that id wait for the next round.
/// </summary>
internal sealed class NotificationFeed(MetastoreConnection metastore, RuleBook rules, IOptions<ReplicationOptions> options)
{
    // Hive's MessageBuilder event types other than COMMIT_TXN and ABORT_TXN
    private static readonly List<string> AllButTxnEnds =
    [
        "CREATE_DATABASE", "DROP_DATABASE", "ALTER_DATABASE", "CREATE_TABLE", "DROP_TABLE", "ALTER_TABLE", "ADD_PARTITION",
        "DROP_PARTITION", "ALTER_PARTITION", "ALTER_PARTITIONS", "INSERT", "CREATE_FUNCTION", "DROP_FUNCTION",
        "ADD_PRIMARYKEY", "ADD_FOREIGNKEY", "ADD_UNIQUECONSTRAINT", "ADD_NOTNULLCONSTRAINT", "ADD_DEFAULTCONSTRAINT",
        "ADD_CHECKCONSTRAINT", "DROP_CONSTRAINT", "CREATE_ISCHEMA", "ALTER_ISCHEMA", "DROP_ISCHEMA", "ADD_SCHEMA_VERSION",
        "ALTER_SCHEMA_VERSION", "DROP_SCHEMA_VERSION", "CREATE_CATALOG", "DROP_CATALOG", "ALTER_CATALOG", "OPEN_TXN",
        "ALLOC_WRITE_ID_EVENT", "ACID_WRITE_EVENT", "BATCH_ACID_WRITE_EVENT", "UPDATE_TBL_COL_STAT_EVENT",
        "DELETE_TBL_COL_STAT_EVENT", "UPDATE_PART_COL_STAT_EVENT", "UPDATE_PART_COL_STAT_EVENT_BATCH",
        "DELETE_PART_COL_STAT_EVENT", "COMMIT_COMPACTION_EVENT", "CREATE_DATACONNECTOR", "DROP_DATACONNECTOR",
        "ALTER_DATACONNECTOR", "RELOAD",
    ];

    public async Task<NotificationBatch> NextAsync(long last, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var max = settings.PumpBatchSize;
        if (!settings.FilterNotifications)
        {
            var all = await FetchAsync(new NotificationEventRequest(last) { MaxEvents = max }, cancellationToken).ConfigureAwait(false);
            var gap = last > 0 && all.Count > 0 && all[0].EventId > last + 1 ? all[0].EventId : (long?)null;
            return new NotificationBatch(all, all.Count > 0 ? all[^1].EventId : last, gap);
        }

        var current = await metastore.CallAsync("get_current_notificationEventId", (c, ct) => c.GetCurrentEventIdAsync(ct), cancellationToken).ConfigureAwait(false);
        long? gapTo = null;
        if (last > 0 && current > last)
        {
            var probe = await FetchAsync(new NotificationEventRequest(last) { MaxEvents = 1 }, cancellationToken).ConfigureAwait(false);
            gapTo = probe.Count > 0 && probe[0].EventId > last + 1 ? probe[0].EventId : null;
        }

        var filtered = new NotificationEventRequest(last) { MaxEvents = max, EventTypeSkipList = [.. HiveEventType.NeverReplicated] };
        if (!string.IsNullOrWhiteSpace(settings.MetastoreCatalog))
        {
            filtered.CatName = settings.MetastoreCatalog;
        }

        var tables = (await RuledTablesAsync(cancellationToken).ConfigureAwait(false))
            .Select(k => k.Split('.', 2)).Where(p => p.Length == 2).ToList();
        var byDatabase = tables.Count > 0 && tables.Select(t => t[0]).Distinct(StringComparer.Ordinal).Count() == 1;
        if (byDatabase)
        {
            filtered.DbName = tables[0][0];
            filtered.TableNames = tables.Select(t => t[1]).Distinct(StringComparer.Ordinal).ToList();
        }

        var events = await FetchAsync(filtered, cancellationToken).ConfigureAwait(false);
        var complete = events.Count < max ? long.MaxValue : events[^1].EventId;
        if (byDatabase && settings.AcidTables == AcidTableMode.ReplicateAtCommit)
        {
            var txnRequest = new NotificationEventRequest(last) { MaxEvents = max, EventTypeSkipList = [.. AllButTxnEnds] };
            if (filtered.__isset.catName)
            {
                txnRequest.CatName = filtered.CatName;
            }

            var txnEnds = await FetchAsync(txnRequest, cancellationToken).ConfigureAwait(false);
            complete = Math.Min(complete, txnEnds.Count < max ? long.MaxValue : txnEnds[^1].EventId);
            events = events
                .Concat(txnEnds.Where(e => e.EventType is HiveEventType.CommitTxn or HiveEventType.AbortTxn))
                .DistinctBy(e => e.EventId)
                .OrderBy(e => e.EventId)
                .ToList();
        }

        // both reads saw the log up to the id read before them; past it an event may be in one read and not yet in the
        // other (an ACID write and its COMMIT_TXN appended between the two: the commit alone, its write skipped for
        // good), so what lies past it waits for the next round
        var upTo = Math.Min(complete, current);
        events = events.Where(e => e.EventId <= upTo).ToList();
        return new NotificationBatch(events, Math.Max(last, upTo), gapTo);
    }

    /// <summary>The ruled tables; none (so no database filter, nothing missed) while the rules cannot be had.</summary>
    private async Task<IEnumerable<string>> RuledTablesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await rules.GetAsync(cancellationToken).ConfigureAwait(false)).Keys;
        }
        catch (Exception ex) when (RuleBook.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    private Task<List<NotificationEvent>> FetchAsync(NotificationEventRequest request, CancellationToken cancellationToken) =>
        metastore.CallAsync("get_next_notification", (c, ct) => c.GetNextEventsAsync(request, ct), cancellationToken);
}
