using System.Text.Json;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;

namespace Unitization.SampleHms;

/// <summary>
/// The sample HMS's tables, partitions and notification log. Every change appends one event, with the next event id,
/// whose message is Hive's JSON message (Thrift objects embedded with TJSONProtocol), encoded as
/// <see cref="MessageFormat"/> says: <c>gzip(json-2.0)</c> (GzipJSONMessageEncoder, Hive 3 and 4's default) or
/// <c>json-0.2</c> (JSONMessageEncoder). ACID transactions write OPEN_TXN, ALLOC_WRITE_ID_EVENT, ACID_WRITE_EVENT and
/// COMMIT_TXN or ABORT_TXN as Hive's DbNotificationListener does (the txn events without db and table).
/// </summary>
public sealed class SampleCatalog(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Table> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, Partition>> _partitions = new(StringComparer.Ordinal);
    private readonly List<NotificationEvent> _events = [];
    private long _nextEventId = 1;
    private long _nextTxnId = 1;
    private readonly HashSet<string> _databases = new(StringComparer.Ordinal) { "default" };

    /// <summary>How event messages are encoded (<see cref="HiveMessageFormat.GzipJson"/> or <see cref="HiveMessageFormat.Json"/>).</summary>
    public string MessageFormat { get; init; } = HiveMessageFormat.GzipJson;

    /// <summary>The catalog every table and event belongs to (Hive 3 and later name the default one <c>hive</c>).</summary>
    public string CatalogName { get; init; } = "hive";

    /// <summary>Raised after an event is appended (the workload's clock for latency figures).</summary>
    public event Action<NotificationEvent>? EventAppended;

    /// <summary>
    /// Raised as a <c>get_next_notification</c> request is answered, before the log is read (tests append events there,
    /// between a client's reads).
    /// </summary>
    public event Action<NotificationEventRequest>? Reading;

    /// <summary>
    /// Continues the notification log's ids after <paramref name="eventId"/> (an HMS keeps its log in its database;
    /// this catalog is in memory, so a host restarted over the same data folder carries the last id over). Only
    /// before the first event.
    /// </summary>
    public void ContinueAfter(long eventId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventId);
        lock (_gate)
        {
            if (_events.Count > 0 || _nextEventId != 1)
            {
                throw new InvalidOperationException("The notification log already has events.");
            }

            _nextEventId = eventId + 1;
        }
    }

    /// <summary>
    /// Keeps the last event id in <paramref name="file"/> (continuing after the one it holds, as <see cref="ContinueAfter"/>),
    /// so a restarted sample HMS over the same data folder never hands out ids a replicator's pump already passed.
    /// </summary>
    public void PersistEventIds(string file)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        if (File.Exists(file) && long.TryParse(File.ReadAllText(file), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var lastEventId))
        {
            ContinueAfter(lastEventId);
        }

        EventAppended += e => File.WriteAllText(file, e.EventId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public long CurrentEventId
    {
        get
        {
            lock (_gate)
            {
                return _nextEventId - 1;
            }
        }
    }

    public Table? GetTable(string db, string table)
    {
        lock (_gate)
        {
            return _tables.GetValueOrDefault(Key(db, table));
        }
    }

    public IReadOnlyList<Partition> GetPartitions(string db, string table, IEnumerable<string> names)
    {
        lock (_gate)
        {
            if (!_partitions.TryGetValue(Key(db, table), out var partitions))
            {
                return [];
            }

            return names.Select(n => partitions.GetValueOrDefault(n)).OfType<Partition>().ToList();
        }
    }

    public IReadOnlyList<NotificationEvent> EventsAfter(long lastEvent, int maxEvents) =>
        EventsAfter(new NotificationEventRequest(lastEvent) { MaxEvents = maxEvents });

    /// <summary>
    /// <c>get_next_notification</c> as Hive's ObjectStore answers it: events after <c>lastEvent</c>, without the types
    /// in <c>eventTypeSkipList</c>, of <c>catName</c>, <c>dbName</c> and one of <c>tableNames</c> when set (names
    /// compared lower-cased; an event without a database does not match a database filter), at most <c>maxEvents</c>.
    /// </summary>
    public IReadOnlyList<NotificationEvent> EventsAfter(NotificationEventRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Reading?.Invoke(request);
        var skip = request.__isset.eventTypeSkipList && request.EventTypeSkipList is { } s ? s.ToHashSet(StringComparer.Ordinal) : [];
        var db = request.__isset.dbName ? request.DbName?.Trim().ToLowerInvariant() : null;
        var catalog = request.__isset.catName ? request.CatName?.Trim().ToLowerInvariant() : null;
        var tables = request.__isset.tableNames && request.TableNames is { Count: > 0 } t ? t.Select(n => n.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal) : null;
        var max = request.__isset.maxEvents && request.MaxEvents > 0 ? request.MaxEvents : int.MaxValue;
        lock (_gate)
        {
            return _events
                .Where(e => e.EventId > request.LastEvent && !skip.Contains(e.EventType!))
                .Where(e => catalog is null || string.Equals(e.CatName, catalog, StringComparison.OrdinalIgnoreCase))
                .Where(e => db is null || string.Equals(e.DbName, db, StringComparison.OrdinalIgnoreCase))
                .Where(e => tables is null || (e.TableName is { } name && tables.Contains(name.ToLowerInvariant())))
                .Take(max)
                .ToList();
        }
    }

    public IReadOnlyList<string> GetDatabases()
    {
        lock (_gate)
        {
            return [.. _databases.Concat(_tables.Values.Select(t => t.DbName!)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<string> GetAllTables(string db)
    {
        lock (_gate)
        {
            return [.. _tables.Values.Where(t => string.Equals(t.DbName, db, StringComparison.OrdinalIgnoreCase)).Select(t => t.TableName!).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>The table's partition names (<c>k=v/...</c>), sorted; null when there is no such table.</summary>
    public IReadOnlyList<string>? GetPartitionNames(string db, string table)
    {
        lock (_gate)
        {
            return _partitions.TryGetValue(Key(db, table), out var partitions) ? [.. partitions.Keys] : null;
        }
    }

    /// <summary>What HMS's event cleaner does after <c>hive.metastore.event.db.listener.timetolive</c>: forget old events.</summary>
    public int CleanEventsUpTo(long eventId)
    {
        lock (_gate)
        {
            return _events.RemoveAll(e => e.EventId <= eventId);
        }
    }

    public async Task<Table> CreateTableAsync(string db, string name, string location, IReadOnlyList<string> partitionKeys, CancellationToken cancellationToken)
    {
        var table = new Table
        {
            DbName = db,
            TableName = name,
            Owner = "hive",
            CreateTime = Seconds(),
            TableType = "MANAGED_TABLE",
            PartitionKeys = partitionKeys.Select(k => new FieldSchema { Name = k, Type = "string" }).ToList(),
            Sd = Descriptor(location),
            Parameters = [],
        };
        var message = await MessageAsync(table, cancellationToken).ConfigureAwait(false);
        message["files"] = Array.Empty<string>();
        lock (_gate)
        {
            _tables[Key(db, name)] = table;
            _partitions[Key(db, name)] = new SortedDictionary<string, Partition>(StringComparer.Ordinal);
            Append(HiveEventType.CreateTable, table, message);
        }

        return table;
    }

    public async Task DropTableAsync(string db, string name, CancellationToken cancellationToken)
    {
        var table = GetTable(db, name) ?? throw new NoSuchObjectException { Message = $"{db}.{name} table not found" };
        var message = await MessageAsync(table, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _tables.Remove(Key(db, name));
            _partitions.Remove(Key(db, name));
            Append(HiveEventType.DropTable, table, message);
        }
    }

    /// <summary>Adds a partition whose files already exist at its location; returns the partition's location.</summary>
    public async Task<Partition> AddPartitionAsync(string db, string name, IReadOnlyList<string> values, CancellationToken cancellationToken) =>
        await AddPartitionAsync(db, name, values, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Adds a partition at <paramref name="location"/> (a custom location, outside the table's directory), or at its default one when null.</summary>
    public async Task<Partition> AddPartitionAsync(string db, string name, IReadOnlyList<string> values, string? location, CancellationToken cancellationToken)
    {
        var table = GetTable(db, name) ?? throw new NoSuchObjectException { Message = $"{db}.{name} table not found" };
        var partition = NewPartition(table, values);
        if (location is not null)
        {
            partition.Sd!.Location = location;
        }

        var message = await MessageAsync(table, cancellationToken).ConfigureAwait(false);
        message["partitions"] = new[] { KeyValues(table, values) };
        message["partitionListJson"] = new[] { await ThriftJson.SerializeAsync(partition, cancellationToken).ConfigureAwait(false) };
        message["partitionFiles"] = Array.Empty<object>();
        lock (_gate)
        {
            _partitions[Key(db, name)][PartitionName(table, values)] = partition;
            Append(HiveEventType.AddPartition, table, message);
        }

        return partition;
    }

    /// <summary>
    /// An INSERT INTO a partition, or with no <paramref name="values"/> into an unpartitioned table (its files changed
    /// in place; the message then carries no <c>ptnObjJson</c>, as Hive's).
    /// </summary>
    public async Task InsertAsync(string db, string name, IReadOnlyList<string> values, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var table = GetTable(db, name) ?? throw new NoSuchObjectException { Message = $"{db}.{name} table not found" };
        var message = await MessageAsync(table, cancellationToken).ConfigureAwait(false);
        if (values.Count > 0 || table.PartitionKeys is { Count: > 0 })
        {
            var (_, partition) = Existing(db, name, values);
            message["ptnObjJson"] = await ThriftJson.SerializeAsync(partition, cancellationToken).ConfigureAwait(false);
        }

        message["replace"] = "false";
        message["files"] = files;
        lock (_gate)
        {
            Append(HiveEventType.Insert, table, message);
        }
    }

    public async Task AlterPartitionAsync(string db, string name, IReadOnlyList<string> values, CancellationToken cancellationToken)
    {
        var (table, partition) = Existing(db, name, values);
        var message = await MessageAsync(table, cancellationToken).ConfigureAwait(false);
        var json = await ThriftJson.SerializeAsync(partition, cancellationToken).ConfigureAwait(false);
        message["isTruncateOp"] = "false";
        message["keyValues"] = KeyValues(table, values);
        message["partitionObjBeforeJson"] = json;
        message["partitionObjAfterJson"] = json;
        message["writeId"] = 0;
        lock (_gate)
        {
            Append(HiveEventType.AlterPartition, table, message);
        }
    }

    public async Task DropPartitionAsync(string db, string name, IReadOnlyList<string> values, CancellationToken cancellationToken)
    {
        var (table, _) = Existing(db, name, values);
        var message = await MessageAsync(table, cancellationToken).ConfigureAwait(false);
        message["partitions"] = new[] { KeyValues(table, values) };
        lock (_gate)
        {
            _partitions[Key(db, name)].Remove(PartitionName(table, values));
            Append(HiveEventType.DropPartition, table, message);
        }
    }

    /// <summary>
    /// ALTER TABLE: a new location (SET LOCATION; the files stay where they are, as Hive leaves them) and/or one more
    /// column (a schema change). The message carries <c>tableObjBeforeJson</c> and <c>tableObjAfterJson</c>.
    /// </summary>
    public async Task<Table> AlterTableAsync(string db, string name, string? newLocation, string? addColumn, CancellationToken cancellationToken) =>
        await AlterTableAsync(db, name, newLocation, addColumn, movePartitions: false, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// As <see cref="AlterTableAsync(string, string, string?, string?, CancellationToken)"/>; with
    /// <paramref name="movePartitions"/> the partitions under the old location move under the new one, as Hive does
    /// when it renames a managed table (the caller moved the files; the one event is ALTER_TABLE).
    /// </summary>
    public async Task<Table> AlterTableAsync(string db, string name, string? newLocation, string? addColumn, bool movePartitions, CancellationToken cancellationToken)
    {
        var before = GetTable(db, name) ?? throw new NoSuchObjectException { Message = $"{db}.{name} table not found" };
        var beforeJson = await ThriftJson.SerializeAsync(before, cancellationToken).ConfigureAwait(false);
        var after = await ThriftJson.DeserializeAsync<Table>(beforeJson, cancellationToken).ConfigureAwait(false);
        if (newLocation is not null)
        {
            after.Sd!.Location = newLocation;
        }

        if (addColumn is not null)
        {
            after.Sd!.Cols!.Add(new FieldSchema { Name = addColumn, Type = "string" });
        }

        var message = await MessageAsync(after, cancellationToken).ConfigureAwait(false);
        message.Remove("tableObjJson");
        message["tableObjBeforeJson"] = beforeJson;
        message["tableObjAfterJson"] = await ThriftJson.SerializeAsync(after, cancellationToken).ConfigureAwait(false);
        message["isTruncateOp"] = "false";
        message["writeId"] = 0;
        lock (_gate)
        {
            _tables[Key(db, name)] = after;
            var oldPrefix = before.Sd!.Location!.TrimEnd('/') + "/";
            if (movePartitions && newLocation is not null && _partitions.TryGetValue(Key(db, name), out var partitions))
            {
                foreach (var partition in partitions.Values.Where(p => p.Sd!.Location!.StartsWith(oldPrefix, StringComparison.Ordinal)))
                {
                    partition.Sd!.Location = newLocation.TrimEnd('/') + "/" + partition.Sd.Location![oldPrefix.Length..];
                }
            }

            Append(HiveEventType.AlterTable, after, message);
        }

        return after;
    }

    /// <summary>OPEN_TXN: a new transaction id (the event has no database or table).</summary>
    public long OpenTransaction()
    {
        lock (_gate)
        {
            var txn = _nextTxnId++;
            AppendEvent(HiveEventType.OpenTxn, null, null, Json(new Dictionary<string, object>
            {
                ["txnIds"] = new[] { txn }, ["fromTxnId"] = txn, ["toTxnId"] = txn, ["timestamp"] = (long)Seconds(), ["server"] = Server, ["servicePrincipal"] = string.Empty,
            }));
            return txn;
        }
    }

    /// <summary>
    /// A transaction's write into an ACID table (its files already written under the partition's or table's location):
    /// ALLOC_WRITE_ID_EVENT, then ACID_WRITE_EVENT with <c>tableObjJason</c> and <c>partitionObjJson</c> (Hive's fields).
    /// </summary>
    public async Task AcidWriteAsync(long txnId, string db, string name, IReadOnlyList<string> values, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var table = GetTable(db, name) ?? throw new NoSuchObjectException { Message = $"{db}.{name} table not found" };
        var tableJson = await ThriftJson.SerializeAsync(table, cancellationToken).ConfigureAwait(false);
        string? partitionJson = null;
        string? partitionName = null;
        if (values.Count > 0)
        {
            var (_, partition) = Existing(db, name, values);
            partitionJson = await ThriftJson.SerializeAsync(partition, cancellationToken).ConfigureAwait(false);
            partitionName = PartitionName(table, values);
        }

        lock (_gate)
        {
            var writeId = txnId;
            AppendEvent(HiveEventType.AllocWriteId, db, name, Json(new Dictionary<string, object>
            {
                ["txnIdList"] = new[] { txnId }, ["writeIdList"] = new[] { writeId }, ["dbName"] = db, ["tableName"] = name,
                ["timestamp"] = (long)Seconds(), ["server"] = Server, ["servicePrincipal"] = string.Empty,
            }));
            var message = new Dictionary<string, object?>
            {
                ["txnid"] = txnId, ["timestamp"] = (long)Seconds(), ["server"] = Server, ["servicePrincipal"] = string.Empty,
                ["database"] = db, ["table"] = name, ["partitions"] = partitionName, ["writeId"] = writeId, ["files"] = files,
                ["tableObjJason"] = tableJson, ["partitionObjJson"] = partitionJson,
            };
            AppendEvent(HiveEventType.AcidWrite, db, name, JsonSerializer.Serialize(message));
        }
    }

    /// <summary>COMMIT_TXN, or ABORT_TXN when <paramref name="commit"/> is false (no database or table on the event).</summary>
    public void EndTransaction(long txnId, bool commit)
    {
        lock (_gate)
        {
            AppendEvent(commit ? HiveEventType.CommitTxn : HiveEventType.AbortTxn, null, null, Json(new Dictionary<string, object>
            {
                ["txnid"] = txnId, ["timestamp"] = (long)Seconds(), ["server"] = Server, ["servicePrincipal"] = string.Empty,
            }));
        }
    }

    /// <summary>Appends an event with an arbitrary JSON message, encoded as <see cref="MessageFormat"/> (tests use it to inject a malformed one).</summary>
    public void AppendRaw(string eventType, string db, string table, string message)
    {
        lock (_gate)
        {
            AppendEvent(eventType, db, table, message);
        }
    }

    /// <summary>Appends an event whose message and format are given as they are (no encoding: a broken gzip, an unknown format).</summary>
    public void AppendEncoded(string eventType, string db, string table, string messageFormat, string message)
    {
        lock (_gate)
        {
            AppendEvent(eventType, db, table, message, messageFormat);
        }
    }

    public static string PartitionName(Table table, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(table);
        return HiveLocation.PartitionName(table.PartitionKeys!.Select(k => k.Name!).ToList(), KeyValues(table, values));
    }

    private (Table Table, Partition Partition) Existing(string db, string name, IReadOnlyList<string> values)
    {
        var table = GetTable(db, name) ?? throw new NoSuchObjectException { Message = $"{db}.{name} table not found" };
        var partition = GetPartitions(db, name, [PartitionName(table, values)]).SingleOrDefault()
            ?? throw new NoSuchObjectException { Message = $"{db}.{name} partition {string.Join(',', values)} not found" };
        return (table, partition);
    }

    private Partition NewPartition(Table table, IReadOnlyList<string> values) => new()
    {
        Values = values.ToList(),
        DbName = table.DbName,
        TableName = table.TableName,
        CreateTime = Seconds(),
        Sd = Descriptor(table.Sd!.Location!.TrimEnd('/') + "/" + PartitionName(table, values)),
        Parameters = [],
    };

    private static Dictionary<string, string> KeyValues(Table table, IReadOnlyList<string> values)
    {
        var keys = table.PartitionKeys ?? [];
        if (keys.Count != values.Count)
        {
            throw new MetaException { Message = $"{table.DbName}.{table.TableName} has {keys.Count} partition keys, got {values.Count} values" };
        }

        return keys.Select((k, i) => (k.Name!, values[i])).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
    }

    private static StorageDescriptor Descriptor(string location) => new()
    {
        Cols = [new FieldSchema { Name = "id", Type = "bigint" }, new FieldSchema { Name = "payload", Type = "string" }],
        Location = location,
        InputFormat = "org.apache.hadoop.mapred.TextInputFormat",
        OutputFormat = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        Compressed = false,
        NumBuckets = -1,
        SerdeInfo = new SerDeInfo { SerializationLib = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", Parameters = [] },
        BucketCols = [],
        Parameters = [],
    };

    private const string Server = "thrift://sample-hms";

    private static string Json(Dictionary<string, object> message) => JsonSerializer.Serialize(message);

    private async Task<Dictionary<string, object>> MessageAsync(Table table, CancellationToken cancellationToken) => new()
    {
        ["server"] = Server,
        ["servicePrincipal"] = string.Empty,
        ["db"] = table.DbName!,
        ["table"] = table.TableName!,
        ["tableType"] = table.TableType!,
        ["tableObjJson"] = await ThriftJson.SerializeAsync(table, cancellationToken).ConfigureAwait(false),
        ["timestamp"] = (long)Seconds(),
    };

    private void Append(string eventType, Table table, Dictionary<string, object> message) =>
        AppendEvent(eventType, table.DbName!, table.TableName!, JsonSerializer.Serialize(message));

    private void AppendEvent(string eventType, string? db, string? table, string json, string? encodedAs = null)
    {
        var notification = new NotificationEvent(_nextEventId++, Seconds(), eventType, encodedAs is null ? HiveMessageFormat.Encode(MessageFormat, json) : json)
        {
            MessageFormat = encodedAs ?? MessageFormat,
            CatName = CatalogName,
        };
        if (db is not null)
        {
            notification.DbName = db.ToLowerInvariant();
        }

        if (table is not null)
        {
            notification.TableName = table.ToLowerInvariant();
        }

        _events.Add(notification);
        EventAppended?.Invoke(notification);
    }

    private int Seconds() => (int)time.GetUtcNow().ToUnixTimeSeconds();

    private static string Key(string db, string table) => db.ToLowerInvariant() + "." + table.ToLowerInvariant();
}
