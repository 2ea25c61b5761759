using Unitization.Replication.Metastore.Thrift;

namespace Unitization.SampleHms;

/// <summary>
/// The HMS Thrift calls the sample serves, over <see cref="SampleCatalog"/>, answering as Hive's HMSHandler does
/// (NoSuchObjectException naming what is missing, <c>get_databases</c> with Hive's <c>*</c>/<c>|</c> patterns).
/// </summary>
internal sealed class SampleMetastoreHandler(SampleCatalog catalog, SampleHmsVersion version) : ThriftHiveMetastore.IAsync
{
    public Task<string> getVersion(CancellationToken cancellationToken = default) =>
        Task.FromResult(version == SampleHmsVersion.Hive4 ? "4.0.1" : "3.1.3");

    public Task<List<string>> get_databases(string? pattern, CancellationToken cancellationToken = default)
    {
        var all = catalog.GetDatabases();
        if (string.IsNullOrEmpty(pattern) || pattern == "*")
        {
            return Task.FromResult(all.ToList());
        }

        // Hive's pattern: alternatives separated by '|', '*' matches any run of characters, case-insensitive
        var alternatives = pattern.Split('|').Select(p => new System.Text.RegularExpressions.Regex(
            "^" + System.Text.RegularExpressions.Regex.Escape(p.Trim()).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)).ToList();
        return Task.FromResult(all.Where(d => alternatives.Any(a => a.IsMatch(d))).ToList());
    }

    public Task<List<string>> get_all_databases(CancellationToken cancellationToken = default) => Task.FromResult(catalog.GetDatabases().ToList());

    public Task<Database> get_database(string? name, CancellationToken cancellationToken = default)
    {
        var db = catalog.GetDatabases().FirstOrDefault(d => string.Equals(d, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new NoSuchObjectException { Message = $"database {catalog.CatalogName}.{name} not found" };
        return Task.FromResult(new Database
        {
            Name = db,
            Description = string.Empty,
            LocationUri = $"/warehouse/{db}.db",
            Parameters = [],
            OwnerName = "hive",
            CatalogName = catalog.CatalogName,
        });
    }

    public Task<List<string>> get_all_tables(string? db_name, CancellationToken cancellationToken = default) =>
        Task.FromResult(catalog.GetAllTables(db_name ?? string.Empty).ToList());

    public Task<Table> get_table(string? dbname, string? tbl_name, CancellationToken cancellationToken = default) =>
        Task.FromResult(catalog.GetTable(dbname ?? string.Empty, tbl_name ?? string.Empty)
            ?? throw new NoSuchObjectException { Message = $"{dbname}.{tbl_name} table not found" });

    public async Task<GetTableResult> get_table_req(GetTableRequest? req, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (req.__isset.catName && !string.Equals(req.CatName, catalog.CatalogName, StringComparison.OrdinalIgnoreCase))
        {
            throw new NoSuchObjectException { Message = $"{req.CatName}.{req.DbName}.{req.TblName} table not found" };
        }

        return new GetTableResult(await get_table(req.DbName, req.TblName, cancellationToken).ConfigureAwait(false));
    }

    public Task<List<string>> get_partition_names(string? db_name, string? tbl_name, short max_parts, CancellationToken cancellationToken = default)
    {
        var names = catalog.GetPartitionNames(db_name ?? string.Empty, tbl_name ?? string.Empty)
            ?? throw new NoSuchObjectException { Message = $"{db_name}.{tbl_name} table not found" };
        return Task.FromResult(names.Take(max_parts < 0 ? int.MaxValue : max_parts).ToList());
    }

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
        return Task.FromResult(new NotificationEventResponse(catalog.EventsAfter(rqst).ToList()));
    }

    public Task<CurrentNotificationEventId> get_current_notificationEventId(CancellationToken cancellationToken = default) =>
        Task.FromResult(new CurrentNotificationEventId(catalog.CurrentEventId));
}
