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

    // ACID (transactional) tables: DbNotificationListener writes these with hive.metastore.dml.events and
    // hive.repl.* on; OPEN_TXN, COMMIT_TXN and ABORT_TXN carry no db or table.
    public const string OpenTxn = "OPEN_TXN";
    public const string CommitTxn = "COMMIT_TXN";
    public const string AbortTxn = "ABORT_TXN";
    public const string AllocWriteId = "ALLOC_WRITE_ID_EVENT";
    public const string AcidWrite = "ACID_WRITE_EVENT";
    public const string BatchAcidWrite = "BATCH_ACID_WRITE_EVENT";

    /// <summary>
    /// Event types that never change a table's files (statistics, constraints, functions, transaction bookkeeping the
    /// pump does not need): the pump asks HMS to leave them out (<c>eventTypeSkipList</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> NeverReplicated =
    [
        OpenTxn, AllocWriteId, "UPDATE_TBL_COL_STAT_EVENT", "DELETE_TBL_COL_STAT_EVENT", "UPDATE_PART_COL_STAT_EVENT",
        "UPDATE_PART_COL_STAT_EVENT_BATCH", "DELETE_PART_COL_STAT_EVENT", "CREATE_FUNCTION", "DROP_FUNCTION",
        "ADD_PRIMARYKEY", "ADD_FOREIGNKEY", "ADD_UNIQUECONSTRAINT", "ADD_NOTNULLCONSTRAINT", "ADD_DEFAULTCONSTRAINT",
        "ADD_CHECKCONSTRAINT", "DROP_CONSTRAINT", "COMMIT_COMPACTION_EVENT",
    ];

    /// <summary>Not an HMS type: an ACID write the pump held until its transaction committed, published with the commit.</summary>
    public const string CommittedWrite = "UNITIZATION_COMMITTED_WRITE";

    /// <summary>Not an HMS type: the pump's request to copy a whole table again after it detected an event-id gap.</summary>
    public const string Resync = "UNITIZATION_RESYNC";

    /// <summary>The message format Hive's JSONMessageEncoder writes into <c>NotificationEvent.messageFormat</c>.</summary>
    public const string JsonMessageFormat = HiveMessageFormat.Json;
}
