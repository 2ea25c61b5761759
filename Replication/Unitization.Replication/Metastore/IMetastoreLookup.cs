using Unitization.Replication.Metastore.Thrift;

namespace Unitization.Replication.Metastore;

/// <summary>The HMS lookups the replicator needs for locations not carried in an event's message.</summary>
internal interface IMetastoreLookup
{
    Task<Table> GetTableAsync(string db, string table, CancellationToken cancellationToken);

    Task<List<Partition>> GetPartitionsByNamesAsync(string db, string table, List<string> names, CancellationToken cancellationToken);
}
