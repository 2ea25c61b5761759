using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_SET_STORAGE_POLICY: a path's block storage policy.</summary>
internal sealed record SetStoragePolicyOp(long TxId, string Path, byte PolicyId) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_SET_STORAGE_POLICY;

    public static SetStoragePolicyOp Read(ref OpBodyReader reader, long txId)
    {
        var path = reader.ReadUtf8();
        return new SetStoragePolicyOp(txId, path, reader.ReadByte());
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("PATH", Path);
        writer.Number("POLICYID", (sbyte)PolicyId);
    }
}
