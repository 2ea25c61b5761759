using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_CANCEL_DELEGATION_TOKEN: a token cancelled.</summary>
internal sealed record CancelDelegationTokenOp(long TxId, DelegationTokenIdentifier Token) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_CANCEL_DELEGATION_TOKEN;

    public static CancelDelegationTokenOp Read(ref OpBodyReader reader, long txId) => new(txId, DelegationTokenIdentifier.Read(ref reader));

    public override void WriteFields(IEditFieldWriter writer) => Token.Write(writer);
}
