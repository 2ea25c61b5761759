using System.Text.Json;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;

namespace Unitization.SampleHms;

/// <summary>
/// The sample HMS's tables, partitions and notification log. Every change appends one event, with the next event id,
/// whose message is Hive's JSONMessageEncoder format (Thrift objects embedded with TJSONProtocol).
/// </summary>
public sealed class SampleCatalog(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Table> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, Partition>> _partitions = new(StringComparer.Ordinal);
    private readonly List<NotificationEvent> _events = [];
    private long _nextEventId = 1;

    /// <summary>Raised after an event is appended (the workload's clock for latency figures).</summary>
    public event Action<NotificationEvent>? EventAppended;

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

    public IReadOnlyList<NotificationEvent> EventsAfter(long lastEvent, int maxEvents)
    {
        lock (_gate)
        {
            return _events.Where(e => e.EventId > lastEvent).Take(maxEvents <= 0 ? int.MaxValue : maxEvents).ToList();
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
    public async Task<Partition> AddPartitionAsync(string db, string name, IReadOnlyList<string> values, CancellationToken cancellationToken)
    {
        var table = GetTable(db, name) ?? throw new NoSuchObjectException { Message = $"{db}.{name} table not found" };
        var partition = NewPartition(table, values);
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

    /// <summary>Appends an event with an arbitrary message (tests use it to inject a malformed one).</summary>
    public void AppendRaw(string eventType, string db, string table, string message)
    {
        lock (_gate)
        {
            AppendEvent(eventType, db, table, message);
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

    private async Task<Dictionary<string, object>> MessageAsync(Table table, CancellationToken cancellationToken) => new()
    {
        ["server"] = "thrift://sample-hms",
        ["servicePrincipal"] = string.Empty,
        ["db"] = table.DbName!,
        ["table"] = table.TableName!,
        ["tableType"] = table.TableType!,
        ["tableObjJson"] = await ThriftJson.SerializeAsync(table, cancellationToken).ConfigureAwait(false),
        ["timestamp"] = (long)Seconds(),
    };

    private void Append(string eventType, Table table, Dictionary<string, object> message) =>
        AppendEvent(eventType, table.DbName!, table.TableName!, JsonSerializer.Serialize(message));

    private void AppendEvent(string eventType, string db, string table, string message)
    {
        var notification = new NotificationEvent(_nextEventId++, Seconds(), eventType, message)
        {
            DbName = db,
            TableName = table,
            MessageFormat = HiveEventType.JsonMessageFormat,
            CatName = "hive",
        };
        _events.Add(notification);
        EventAppended?.Invoke(notification);
    }

    private int Seconds() => (int)time.GetUtcNow().ToUnixTimeSeconds();

    private static string Key(string db, string table) => db.ToLowerInvariant() + "." + table.ToLowerInvariant();
}
