using Microsoft.Extensions.Options;
using Unitization.Replication.Events;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;
using Unitization.Replication.Pump;

namespace Unitization.Replication.Workers;

/// <summary>
/// Turns an HMS event into replica actions. Messages are decoded by their <c>messageFormat</c> (<c>json-0.2</c> or
/// <c>gzip(json-2.0)</c>). Locations come from the Thrift objects the message embeds; when a message lacks them, from
/// HMS (<c>get_table_req</c>, <c>get_partitions_by_names</c>). Every partition copied is recorded with its location,
/// so that a DROP_PARTITION (whose message names only the values) deletes the right directory.
/// </summary>
internal sealed class EventPlanner(
    IMetastoreLookup metastore, PartitionLocations? locations = null, ReplicationHealth? health = null, IOptions<ReplicationOptions>? options = null)
{
    public async Task<IReadOnlyList<ReplicaAction>> PlanAsync(HmsEventEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        try
        {
            return await PlanEventAsync(envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (MetastoreCapabilityException ex)
        {
            // no retry can help: the event is dead-lettered with the reason
            throw new MalformedEventException(ex.Message, ex);
        }
    }

    private async Task<IReadOnlyList<ReplicaAction>> PlanEventAsync(HmsEventEnvelope envelope, CancellationToken cancellationToken)
    {
        switch (envelope.EventType)
        {
            case HiveEventType.CreateTable:
            {
                var message = Parse(envelope);
                var table = await TableAsync(message, fromMessage: true, cancellationToken).ConfigureAwait(false);
                return IsPartitioned(table) ? [] : [new ReplicaAction(ReplicaActionKind.Copy, TableLocation(table))];
            }

            case HiveEventType.AlterTable:
                return await AlterTableAsync(Parse(envelope), cancellationToken).ConfigureAwait(false);

            case HiveEventType.Resync:
            {
                var message = Parse(envelope);
                try
                {
                    var table = await metastore.GetTableAsync(message.Db, message.Table, cancellationToken).ConfigureAwait(false);
                    return [new ReplicaAction(ReplicaActionKind.Copy, TableLocation(table))];
                }
                catch (NoSuchObjectException)
                {
                    return [];
                }
            }

            case HiveEventType.DropTable:
            {
                var message = Parse(envelope);
                var table = await TableFromMessageAsync(message, cancellationToken).ConfigureAwait(false)
                    ?? throw new MalformedEventException("DROP_TABLE message has no tableObjJson: the dropped table's location is unknown.");
                return [new ReplicaAction(ReplicaActionKind.Delete, TableLocation(table))];
            }

            case HiveEventType.AcidWrite when options?.Value.AcidTables == AcidTableMode.Refuse:
            {
                var message = Parse(envelope);
                var reason = $"ACID_WRITE_EVENT on transactional table {message.Db}.{message.Table} (txn {message.TxnId}) refused: "
                    + "Replication:AcidTables is Refuse, so writes into ACID tables are not replicated.";
                health?.AcidWriteRefused(reason);
                throw new MalformedEventException(reason);
            }

            case HiveEventType.AcidWrite:
                // the pump holds ACID writes until their commit (and publishes them as CommittedWrite): nothing to do here
                return [];

            case HiveEventType.AddPartition:
            case HiveEventType.AlterPartition:
            case HiveEventType.Insert:
            case HiveEventType.CommittedWrite:
                return await CopyPartitionsAsync(envelope, Parse(envelope), cancellationToken).ConfigureAwait(false);

            case HiveEventType.DropPartition:
            {
                var message = Parse(envelope);
                var table = await TableAsync(message, fromMessage: true, cancellationToken).ConfigureAwait(false);
                var location = TableLocation(table);
                var actions = new List<ReplicaAction>();
                foreach (var values in message.Partitions)
                {
                    var name = HiveLocation.PartitionName(Keys(table), values);
                    var recorded = locations is null ? null : await locations.FindAsync(message.Db, message.Table, name, cancellationToken).ConfigureAwait(false);
                    actions.Add(new ReplicaAction(ReplicaActionKind.Delete, recorded ?? location.TrimEnd('/') + "/" + name));
                    if (locations is not null)
                    {
                        await locations.ForgetAsync(message.Db, message.Table, name, cancellationToken).ConfigureAwait(false);
                    }
                }

                return actions;
            }

            default:
                return [];
        }
    }

    private async Task<IReadOnlyList<ReplicaAction>> CopyPartitionsAsync(HmsEventEnvelope envelope, HiveMessage message, CancellationToken cancellationToken)
    {
        if (message.PartitionObjJsons.Count > 0)
        {
            var table = await TableFromMessageAsync(message, cancellationToken).ConfigureAwait(false);
            var actions = new List<ReplicaAction>();
            foreach (var json in message.PartitionObjJsons)
            {
                var partition = await DeserializeAsync<Partition>(json, envelope.EventType, cancellationToken).ConfigureAwait(false);
                var path = HiveLocation.ToNamespacePath(partition.Sd?.Location);
                await RecordAsync(message, table, partition, path, cancellationToken).ConfigureAwait(false);
                actions.Add(new ReplicaAction(ReplicaActionKind.Copy, path));
            }

            return actions;
        }

        var owner = await TableAsync(message, fromMessage: true, cancellationToken).ConfigureAwait(false);
        if (message.Partitions.Count == 0)
        {
            return IsPartitioned(owner)
                ? throw new MalformedEventException($"{envelope.EventType} on partitioned table {message.Db}.{message.Table} names no partition.")
                : [new ReplicaAction(ReplicaActionKind.Copy, TableLocation(owner))];
        }

        var names = message.Partitions.Select(p => HiveLocation.PartitionName(Keys(owner), p)).ToList();
        var partitions = await metastore.GetPartitionsByNamesAsync(message.Db, message.Table, names, cancellationToken).ConfigureAwait(false);
        var copies = new List<ReplicaAction>();
        foreach (var partition in partitions)
        {
            var path = HiveLocation.ToNamespacePath(partition.Sd?.Location);
            await RecordAsync(message, owner, partition, path, cancellationToken).ConfigureAwait(false);
            copies.Add(new ReplicaAction(ReplicaActionKind.Copy, path));
        }

        return copies;
    }

    /// <summary>
    /// ALTER_TABLE: an unpartitioned table is copied again. A partitioned table's files live in its partitions: a new
    /// location (ALTER TABLE ... SET LOCATION, or a rename that moved a managed table) copies every partition HMS lists
    /// (each at its own location, custom ones included) and deletes the replica of the old location once no partition
    /// lives under it; a change of schema or properties alone changes no file, so nothing is copied.
    /// </summary>
    private async Task<IReadOnlyList<ReplicaAction>> AlterTableAsync(HiveMessage message, CancellationToken cancellationToken)
    {
        var after = await TableAsync(message, fromMessage: true, cancellationToken).ConfigureAwait(false);
        if (!IsPartitioned(after))
        {
            return [new ReplicaAction(ReplicaActionKind.Copy, TableLocation(after))];
        }

        var before = message.TableObjBeforeJson is null ? null : await DeserializeAsync<Table>(message.TableObjBeforeJson, "tableObjBeforeJson", cancellationToken).ConfigureAwait(false);
        var newLocation = TableLocation(after);
        var oldLocation = before?.Sd?.Location is { Length: > 0 } old ? HiveLocation.ToNamespacePath(old) : null;
        if (oldLocation is null || oldLocation == newLocation)
        {
            return [];
        }

        var names = await metastore.GetPartitionNamesAsync(after.DbName ?? message.Db, after.TableName ?? message.Table, cancellationToken).ConfigureAwait(false);
        var actions = new List<ReplicaAction>();
        if (names.Count > 0)
        {
            var partitions = await metastore.GetPartitionsByNamesAsync(after.DbName ?? message.Db, after.TableName ?? message.Table, names, cancellationToken).ConfigureAwait(false);
            foreach (var partition in partitions)
            {
                var path = HiveLocation.ToNamespacePath(partition.Sd?.Location);
                await RecordAsync(message, after, partition, path, cancellationToken).ConfigureAwait(false);
                actions.Add(new ReplicaAction(ReplicaActionKind.Copy, path));
            }
        }

        // SET LOCATION leaves the partitions where they were: the old directory goes only when no partition is left in it
        var prefix = oldLocation.TrimEnd('/') + "/";
        if (!actions.Any(a => a.Path == oldLocation || a.Path.StartsWith(prefix, StringComparison.Ordinal)))
        {
            actions.Add(new ReplicaAction(ReplicaActionKind.Delete, oldLocation));
        }

        return actions;
    }

    private async Task RecordAsync(HiveMessage message, Table? table, Partition partition, string path, CancellationToken cancellationToken)
    {
        if (locations is null || partition.Values is not { Count: > 0 } values)
        {
            return;
        }

        table ??= await TableAsync(message, fromMessage: true, cancellationToken).ConfigureAwait(false);
        var keys = Keys(table);
        if (keys.Count != values.Count)
        {
            return;
        }

        var name = HiveLocation.PartitionName(keys, keys.Select((k, i) => (k, values[i])).ToDictionary(p => p.k, p => p.Item2, StringComparer.Ordinal));
        await locations.RecordAsync(message.Db, message.Table, name, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Decodes the event's message. Decoding reads only the message, so any exception it throws (a bad encoding, a
    /// wrong type, a number out of range) is a property of the event: a <see cref="MalformedEventException"/>.
    /// </summary>
    private static HiveMessage Parse(HmsEventEnvelope envelope)
    {
        HiveMessage message;
        try
        {
            message = HiveMessage.Parse(envelope.EventType, envelope.MessageFormat, envelope.Message);
        }
        catch (MalformedEventException)
        {
            throw;
        }
#pragma warning disable CA1031 // no I/O, so nothing here is transient
        catch (Exception ex)
#pragma warning restore CA1031
        {
            throw new MalformedEventException($"{envelope.EventType} message cannot be decoded ({ex.GetType().Name}: {ex.Message})", ex);
        }

        // the rule was found by the event's table: a message about another one would act on a table no rule chose
        if (envelope.DbName is { Length: > 0 } db && envelope.TableName is { Length: > 0 } table
            && (!string.Equals(message.Db, db, StringComparison.OrdinalIgnoreCase) || !string.Equals(message.Table, table, StringComparison.OrdinalIgnoreCase)))
        {
            throw new MalformedEventException($"{envelope.EventType} message is about {message.Db}.{message.Table}, but the event is about {db}.{table}.");
        }

        return message;
    }

    private async Task<Table> TableAsync(HiveMessage message, bool fromMessage, CancellationToken cancellationToken)
    {
        if (fromMessage && await TableFromMessageAsync(message, cancellationToken).ConfigureAwait(false) is { } table)
        {
            return table;
        }

        return await metastore.GetTableAsync(message.Db, message.Table, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Table?> TableFromMessageAsync(HiveMessage message, CancellationToken cancellationToken) =>
        message.TableObjJson is null ? null : await DeserializeAsync<Table>(message.TableObjJson, "tableObjJson", cancellationToken).ConfigureAwait(false);

    private static async Task<T> DeserializeAsync<T>(string json, string what, CancellationToken cancellationToken)
        where T : Thrift.Protocol.TBase, new()
    {
        try
        {
            return await ThriftJson.DeserializeAsync<T>(json, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // reading Thrift JSON from a string does no I/O: whatever it throws (overflow, format, shape) is the message's
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            throw new MalformedEventException($"{what}: embedded {typeof(T).Name} is not valid Thrift JSON ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }

    private static bool IsPartitioned(Table table) => table.PartitionKeys is { Count: > 0 };

    private static List<string> Keys(Table table) => (table.PartitionKeys ?? []).Select(k => k.Name ?? string.Empty).ToList();

    /// <summary>
    /// The table and namespace path a CREATE_TABLE or ALTER_TABLE message reports (the table after the change), read
    /// from the message alone; null for other events or when the message does not say (the planner reports bad ones).
    /// </summary>
    public static async Task<(string Db, string Table, string Path)?> ReportedLocationAsync(HmsEventEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.EventType is not (HiveEventType.CreateTable or HiveEventType.AlterTable))
        {
            return null;
        }

        try
        {
            var message = Parse(envelope);
            if (await TableFromMessageAsync(message, cancellationToken).ConfigureAwait(false) is { Sd.Location: { Length: > 0 } location } table)
            {
                return (table.DbName ?? message.Db, table.TableName ?? message.Table, HiveLocation.ToNamespacePath(location));
            }
        }
#pragma warning disable CA1031 // a message that cannot say where its table is reports nothing here; planning it reports why
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
        }

        return null;
    }

    private static string TableLocation(Table table) => HiveLocation.ToNamespacePath(table.Sd?.Location);
}
