using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;

namespace Unitization.Replication.Tests.Fakes;

/// <summary>An HMS in memory for the planner's lookups: tables and partitions by name; counts the calls.</summary>
internal sealed class FakeMetastore : IMetastoreLookup
{
    public Dictionary<string, Table> Tables { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Partition> Partitions { get; } = new(StringComparer.Ordinal);

    public int Calls { get; private set; }

    public Task<Table> GetTableAsync(string db, string table, CancellationToken cancellationToken)
    {
        Calls++;
        return Tables.TryGetValue($"{db}.{table}", out var found)
            ? Task.FromResult(found)
            : Task.FromException<Table>(new NoSuchObjectException { Message = $"{db}.{table} table not found" });
    }

    public Task<List<Partition>> GetPartitionsByNamesAsync(string db, string table, List<string> names, CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult(names.Where(n => Partitions.ContainsKey($"{db}.{table}/{n}")).Select(n => Partitions[$"{db}.{table}/{n}"]).ToList());
    }

    public Task<List<string>> GetPartitionNamesAsync(string db, string table, CancellationToken cancellationToken)
    {
        Calls++;
        var prefix = $"{db}.{table}/";
        return Task.FromResult(Partitions.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).ToList());
    }
}
