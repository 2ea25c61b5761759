using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_REMOVE_CACHE_POOL.</summary>
internal sealed record RemoveCachePoolOp(long TxId, string PoolName, RpcIds Rpc) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_REMOVE_CACHE_POOL;

    public static RemoveCachePoolOp Read(ref OpBodyReader reader, long txId)
    {
        var name = reader.ReadUtf8();
        return new RemoveCachePoolOp(txId, name, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("POOLNAME", PoolName);
        Rpc.Write(writer);
    }
}
