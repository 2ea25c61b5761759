using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_ENABLE_, OP_DISABLE_ and OP_REMOVE_ERASURE_CODING_POLICY: an erasure coding policy by name.</summary>
internal sealed record ErasureCodingPolicyNameOp(long TxId, EditLogOpCode Code, string PolicyName, RpcIds Rpc) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => Code;

    public static ErasureCodingPolicyNameOp Read(ref OpBodyReader reader, long txId, EditLogOpCode code)
    {
        var name = reader.ReadUtf8();
        return new ErasureCodingPolicyNameOp(txId, code, name, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("POLICYNAME", PolicyName);
        Rpc.Write(writer);
    }
}
