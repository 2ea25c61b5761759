using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>
/// OP_CREATE_SNAPSHOT and OP_DELETE_SNAPSHOT: snapshot <see cref="SnapshotName"/> of directory
/// <see cref="SnapshotRoot"/>; the modification time is on the wire from layout -66 on (0 before).
/// </summary>
internal sealed record SnapshotOp(long TxId, EditLogOpCode Code, string SnapshotRoot, string SnapshotName, long ModificationTime, RpcIds Rpc)
    : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => Code;

    public static SnapshotOp Read(ref OpBodyReader reader, long txId, EditLogOpCode code)
    {
        var root = reader.ReadUtf8();
        var name = reader.ReadUtf8();
        var mtime = reader.Supports(EditLogFeature.SnapshotModificationTime) ? reader.ReadInt64() : 0;
        return new SnapshotOp(txId, code, root, name, mtime, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("SNAPSHOTROOT", SnapshotRoot);
        writer.Text("SNAPSHOTNAME", SnapshotName);
        writer.Number("MTIME", ModificationTime);
        Rpc.Write(writer);
    }
}
