using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_RENAME_SNAPSHOT: a snapshot of <see cref="SnapshotRoot"/> renamed.</summary>
internal sealed record RenameSnapshotOp(long TxId, string SnapshotRoot, string OldName, string NewName, long ModificationTime, RpcIds Rpc)
    : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_RENAME_SNAPSHOT;

    public static RenameSnapshotOp Read(ref OpBodyReader reader, long txId)
    {
        var root = reader.ReadUtf8();
        var oldName = reader.ReadUtf8();
        var newName = reader.ReadUtf8();
        var mtime = reader.Supports(EditLogFeature.SnapshotModificationTime) ? reader.ReadInt64() : 0;
        return new RenameSnapshotOp(txId, root, oldName, newName, mtime, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("SNAPSHOTROOT", SnapshotRoot);
        writer.Text("SNAPSHOTOLDNAME", OldName);
        writer.Text("SNAPSHOTNEWNAME", NewName);
        writer.Number("MTIME", ModificationTime);
        Rpc.Write(writer);
    }
}
