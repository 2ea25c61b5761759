using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_REMOVE_CACHE_DIRECTIVE.</summary>
internal sealed record RemoveCacheDirectiveOp(long TxId, long Id, RpcIds Rpc) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_REMOVE_CACHE_DIRECTIVE;

    public static RemoveCacheDirectiveOp Read(ref OpBodyReader reader, long txId)
    {
        var id = reader.ReadInt64();
        return new RemoveCacheDirectiveOp(txId, id, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Number("ID", Id);
        Rpc.Write(writer);
    }
}
