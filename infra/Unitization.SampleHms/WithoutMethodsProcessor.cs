using Unitization.Replication.Metastore.Thrift;

namespace Unitization.SampleHms;

/// <summary>
/// The generated processor without some methods: a call to one of them gets what any Thrift server answers for a
/// method it does not have (TApplicationException UNKNOWN_METHOD, "Invalid method name"), as Hive 4 answers <c>get_table</c>.
/// </summary>
internal sealed class WithoutMethodsProcessor : ThriftHiveMetastore.AsyncProcessor
{
    public WithoutMethodsProcessor(ThriftHiveMetastore.IAsync handler, IEnumerable<string> without)
        : base(handler)
    {
        foreach (var method in without)
        {
            processMap_.Remove(method);
        }
    }
}
