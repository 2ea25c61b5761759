using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_ROLLING_UPGRADE_START and OP_ROLLING_UPGRADE_FINALIZE: when a rolling upgrade started or was finalized.</summary>
internal sealed record RollingUpgradeOp(long TxId, EditLogOpCode Code, long Time) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => Code;

    public static RollingUpgradeOp Read(ref OpBodyReader reader, long txId, EditLogOpCode code) => new(txId, code, reader.ReadInt64());

    public override void WriteFields(IEditFieldWriter writer) =>
        writer.Number(Code == EditLogOpCode.OP_ROLLING_UPGRADE_START ? "STARTTIME" : "FINALIZETIME", Time);
}
