using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_ADD_CACHE_DIRECTIVE and OP_MODIFY_CACHE_DIRECTIVE.</summary>
internal sealed record CacheDirectiveOp(long TxId, EditLogOpCode Code, CacheDirectiveInfo Directive, RpcIds Rpc) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => Code;

    public static CacheDirectiveOp Read(ref OpBodyReader reader, long txId, EditLogOpCode code)
    {
        var directive = CacheDirectiveInfo.Read(ref reader);
        return new CacheDirectiveOp(txId, code, directive, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        Directive.Write(writer);
        Rpc.Write(writer);
    }
}
