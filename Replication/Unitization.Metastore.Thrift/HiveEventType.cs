namespace Unitization.Replication.Metastore;

/// <summary>The HMS notification event types the replicator acts on (Hive's EventMessage.EventType names).</summary>
public static class HiveEventType
{
    public const string CreateTable = "CREATE_TABLE";
    public const string AlterTable = "ALTER_TABLE";
    public const string DropTable = "DROP_TABLE";
    public const string AddPartition = "ADD_PARTITION";
    public const string AlterPartition = "ALTER_PARTITION";
    public const string DropPartition = "DROP_PARTITION";
    public const string Insert = "INSERT";

    /// <summary>Not an HMS type: the pump's request to copy a whole table again after it detected an event-id gap.</summary>
    public const string Resync = "UNITIZATION_RESYNC";

    /// <summary>The message format Hive's JSONMessageEncoder writes into <c>NotificationEvent.messageFormat</c>.</summary>
    public const string JsonMessageFormat = "json-0.2";
}
