using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_ADD_CACHE_POOL and OP_MODIFY_CACHE_POOL.</summary>
internal sealed record CachePoolOp(long TxId, EditLogOpCode Code, CachePoolInfo Pool, RpcIds Rpc) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => Code;

    public static CachePoolOp Read(ref OpBodyReader reader, long txId, EditLogOpCode code)
    {
        var pool = CachePoolInfo.Read(ref reader);
        return new CachePoolOp(txId, code, pool, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        Pool.Write(writer);
        Rpc.Write(writer);
    }
}
