using Unitization.Replication.Events;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;

namespace Unitization.Replication.Workers;

/// <summary>
/// Turns an HMS event into replica actions. Locations come from the Thrift objects the message embeds; when a message
/// lacks them, from HMS (<c>get_table</c>, <c>get_partitions_by_names</c>).
/// </summary>
internal sealed class EventPlanner(IMetastoreLookup metastore)
{
    public async Task<IReadOnlyList<ReplicaAction>> PlanAsync(HmsEventEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        switch (envelope.EventType)
        {
            case HiveEventType.CreateTable:
            case HiveEventType.AlterTable:
            {
                var message = HiveMessage.Parse(envelope.EventType, envelope.Message);
                var table = await TableAsync(message, fromMessage: envelope.EventType == HiveEventType.CreateTable, cancellationToken).ConfigureAwait(false);
                return IsPartitioned(table) ? [] : [new ReplicaAction(ReplicaActionKind.Copy, TableLocation(table))];
            }

            case HiveEventType.Resync:
            {
                var message = HiveMessage.Parse(envelope.EventType, envelope.Message);
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
                var message = HiveMessage.Parse(envelope.EventType, envelope.Message);
                var table = await TableFromMessageAsync(message, cancellationToken).ConfigureAwait(false)
                    ?? throw new MalformedEventException("DROP_TABLE message has no tableObjJson: the dropped table's location is unknown.");
                return [new ReplicaAction(ReplicaActionKind.Delete, TableLocation(table))];
            }

            case HiveEventType.AddPartition:
            case HiveEventType.AlterPartition:
            case HiveEventType.Insert:
            {
                var message = HiveMessage.Parse(envelope.EventType, envelope.Message);
                if (message.PartitionObjJsons.Count > 0)
                {
                    var actions = new List<ReplicaAction>();
                    foreach (var json in message.PartitionObjJsons)
                    {
                        var partition = await DeserializeAsync<Partition>(json, envelope.EventType, cancellationToken).ConfigureAwait(false);
                        actions.Add(new ReplicaAction(ReplicaActionKind.Copy, HiveLocation.ToNamespacePath(partition.Sd?.Location)));
                    }

                    return actions;
                }

                var table = await TableAsync(message, fromMessage: true, cancellationToken).ConfigureAwait(false);
                if (message.Partitions.Count == 0)
                {
                    return IsPartitioned(table)
                        ? throw new MalformedEventException($"{envelope.EventType} on partitioned table {message.Db}.{message.Table} names no partition.")
                        : [new ReplicaAction(ReplicaActionKind.Copy, TableLocation(table))];
                }

                var names = message.Partitions.Select(p => HiveLocation.PartitionName(Keys(table), p)).ToList();
                var partitions = await metastore.GetPartitionsByNamesAsync(message.Db, message.Table, names, cancellationToken).ConfigureAwait(false);
                return partitions.Select(p => new ReplicaAction(ReplicaActionKind.Copy, HiveLocation.ToNamespacePath(p.Sd?.Location))).ToList();
            }

            case HiveEventType.DropPartition:
            {
                var message = HiveMessage.Parse(envelope.EventType, envelope.Message);
                var table = await TableAsync(message, fromMessage: true, cancellationToken).ConfigureAwait(false);
                var location = TableLocation(table);
                return message.Partitions
                    .Select(p => new ReplicaAction(ReplicaActionKind.Delete, location.TrimEnd('/') + "/" + HiveLocation.PartitionName(Keys(table), p)))
                    .ToList();
            }

            default:
                return [];
        }
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
        catch (Exception ex) when (ex is Thrift.Protocol.TProtocolException or Thrift.Transport.TTransportException or FormatException or InvalidOperationException)
        {
            throw new MalformedEventException($"{what}: embedded {typeof(T).Name} is not Thrift JSON: {ex.Message}", ex);
        }
    }

    private static bool IsPartitioned(Table table) => table.PartitionKeys is { Count: > 0 };

    private static List<string> Keys(Table table) => (table.PartitionKeys ?? []).Select(k => k.Name ?? string.Empty).ToList();

    private static string TableLocation(Table table) => HiveLocation.ToNamespacePath(table.Sd?.Location);
}
