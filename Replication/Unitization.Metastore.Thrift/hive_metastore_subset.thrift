// The subset of the Hive Metastore Thrift API that Unitization's replicator calls, and that the sample HMS
// (infra/Unitization.SampleHms) serves. Struct and field ids, and method and argument ids, are those of Hive's
// standalone-metastore/metastore-common/src/main/thrift/hive_metastore.thrift, so this client talks to a real HMS
// (fields absent here are skipped on read, as Thrift does with unknown fields). Regenerate with ./regenerate.sh.

namespace netstd Unitization.Replication.Metastore.Thrift

struct FieldSchema {
  1: string name,
  2: string type,
  3: string comment
}

struct SerDeInfo {
  1: string name,
  2: string serializationLib,
  3: map<string, string> parameters
}

struct StorageDescriptor {
  1: list<FieldSchema> cols,
  2: string location,
  3: string inputFormat,
  4: string outputFormat,
  5: bool compressed,
  6: i32 numBuckets,
  7: SerDeInfo serdeInfo,
  8: list<string> bucketCols,
  10: map<string, string> parameters
}

struct Table {
  1: string tableName,
  2: string dbName,
  3: string owner,
  4: i32 createTime,
  5: i32 lastAccessTime,
  6: i32 retention,
  7: StorageDescriptor sd,
  8: list<FieldSchema> partitionKeys,
  9: map<string, string> parameters,
  10: string viewOriginalText,
  11: string viewExpandedText,
  12: string tableType,
  17: optional string catName
}

struct Partition {
  1: list<string> values,
  2: string dbName,
  3: string tableName,
  4: i32 createTime,
  5: i32 lastAccessTime,
  6: StorageDescriptor sd,
  7: map<string, string> parameters,
  9: optional string catName
}

struct NotificationEventRequest {
  1: required i64 lastEvent,
  2: optional i32 maxEvents,
  3: optional list<string> eventTypeSkipList,
  4: optional string catName,
  5: optional string dbName,
  6: optional list<string> tableNames
}

struct Database {
  1: string name,
  2: string description,
  3: string locationUri,
  4: map<string, string> parameters,
  6: optional string ownerName,
  8: optional string catalogName,
  9: optional i32 createTime,
  10: optional string managedLocationUri
}

// Hive 3.0 and later; Hive 4 serves tables only through get_table_req.
struct GetTableRequest {
  1: required string dbName,
  2: required string tblName,
  4: optional string catName,
  6: optional string validWriteIdList,
  7: optional bool getColumnStats,
  9: optional string processorIdentifier,
  10: optional string engine
}

struct GetTableResult {
  1: required Table table,
  2: optional bool isStatsCompliant
}

struct NotificationEvent {
  1: required i64 eventId,
  2: required i32 eventTime,
  3: required string eventType,
  4: optional string dbName,
  5: optional string tableName,
  6: required string message,
  7: optional string messageFormat,
  8: optional string catName
}

struct NotificationEventResponse {
  1: required list<NotificationEvent> events
}

struct CurrentNotificationEventId {
  1: required i64 eventId
}

exception MetaException {
  1: string message
}

exception NoSuchObjectException {
  1: string message
}

// In Hive, ThriftHiveMetastore extends fb303.FacebookService: getVersion is fb303's, served on the same socket.
service ThriftHiveMetastore {
  string getVersion()

  list<string> get_databases(1: string pattern) throws (1: MetaException o1)

  list<string> get_all_databases() throws (1: MetaException o1)

  Database get_database(1: string name) throws (1: NoSuchObjectException o1, 2: MetaException o2)

  list<string> get_all_tables(1: string db_name) throws (1: MetaException o1)

  // Hive 1.x to 3.x; a Hive 4 server answers it with TApplicationException UNKNOWN_METHOD
  Table get_table(1: string dbname, 2: string tbl_name)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  GetTableResult get_table_req(1: GetTableRequest req) throws (1: MetaException o1, 2: NoSuchObjectException o2)

  list<string> get_partition_names(1: string db_name, 2: string tbl_name, 3: i16 max_parts = -1)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  list<Partition> get_partitions_by_names(1: string db_name, 2: string tbl_name, 3: list<string> names)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  NotificationEventResponse get_next_notification(1: NotificationEventRequest rqst)

  CurrentNotificationEventId get_current_notificationEventId()
}
