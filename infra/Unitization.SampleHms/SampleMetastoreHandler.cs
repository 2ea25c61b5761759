using Unitization.Replication.Metastore.Thrift;

namespace Unitization.SampleHms;

/// <summary>The HMS Thrift calls the sample serves, over <see cref="SampleCatalog"/>.</summary>
internal sealed class SampleMetastoreHandler(SampleCatalog catalog) : ThriftHiveMetastore.IAsync
{
    public Task<Table> get_table(string? dbname, string? tbl_name, CancellationToken cancellationToken = default) =>
        Task.FromResult(catalog.GetTable(dbname ?? string.Empty, tbl_name ?? string.Empty)
            ?? throw new NoSuchObjectException { Message = $"{dbname}.{tbl_name} table not found" });

    public Task<List<Partition>> get_partitions_by_names(string? db_name, string? tbl_name, List<string>? names, CancellationToken cancellationToken = default)
    {
        if (catalog.GetTable(db_name ?? string.Empty, tbl_name ?? string.Empty) is null)
        {
            throw new NoSuchObjectException { Message = $"{db_name}.{tbl_name} table not found" };
        }

        return Task.FromResult(catalog.GetPartitions(db_name!, tbl_name!, names ?? []).ToList());
    }

    public Task<NotificationEventResponse> get_next_notification(NotificationEventRequest? rqst, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rqst);
        var events = catalog.EventsAfter(rqst.LastEvent, rqst.__isset.maxEvents ? rqst.MaxEvents : int.MaxValue);
        return Task.FromResult(new NotificationEventResponse(events.ToList()));
    }

    public Task<CurrentNotificationEventId> get_current_notificationEventId(CancellationToken cancellationToken = default) =>
        Task.FromResult(new CurrentNotificationEventId(catalog.CurrentEventId));
}
