using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_UPDATE_MASTER_KEY: a new delegation token master key.</summary>
internal sealed record UpdateMasterKeyOp(long TxId, DelegationKey Key) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_UPDATE_MASTER_KEY;

    public static UpdateMasterKeyOp Read(ref OpBodyReader reader, long txId) => new(txId, DelegationKey.Read(ref reader));

    public override void WriteFields(IEditFieldWriter writer) => Key.Write(writer);
}
