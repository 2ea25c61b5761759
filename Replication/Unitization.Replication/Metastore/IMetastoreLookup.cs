using Unitization.Replication.Metastore.Thrift;

namespace Unitization.Replication.Metastore;

/// <summary>The HMS lookups the replicator needs for locations not carried in an event's message.</summary>
internal interface IMetastoreLookup
{
    Task<Table> GetTableAsync(string db, string table, CancellationToken cancellationToken);

    Task<List<Partition>> GetPartitionsByNamesAsync(string db, string table, List<string> names, CancellationToken cancellationToken);

    /// <summary>Every partition's name (<c>k1=v1/k2=v2</c>), as <c>get_partition_names</c> lists them.</summary>
    Task<List<string>> GetPartitionNamesAsync(string db, string table, CancellationToken cancellationToken);
}
