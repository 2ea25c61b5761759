using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_ALLOW_SNAPSHOT and OP_DISALLOW_SNAPSHOT: a directory made snapshottable, or no longer.</summary>
internal sealed record SnapshotRootOp(long TxId, EditLogOpCode Code, string SnapshotRoot) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => Code;

    public static SnapshotRootOp Read(ref OpBodyReader reader, long txId, EditLogOpCode code) => new(txId, code, reader.ReadUtf8());

    public override void WriteFields(IEditFieldWriter writer) => writer.Text("SNAPSHOTROOT", SnapshotRoot);
}
