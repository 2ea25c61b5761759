using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_SYMLINK: a symbolic link created at <see cref="Path"/> pointing to <see cref="Value"/>.</summary>
internal sealed record SymlinkOp(
    long TxId, long InodeId, string Path, string Value, long ModificationTime, long AccessTime, PermissionStatus Permissions, RpcIds Rpc)
    : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_SYMLINK;

    public static SymlinkOp Read(ref OpBodyReader reader, long txId)
    {
        var inodeId = reader.ReadInt64();
        var path = reader.ReadUtf8();
        var value = reader.ReadUtf8();
        var mtime = reader.ReadInt64();
        var atime = reader.ReadInt64();
        var permissions = PermissionStatus.Read(ref reader);
        return new SymlinkOp(txId, inodeId, path, value, mtime, atime, permissions, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Number("LENGTH", 0);
        writer.Number("INODEID", InodeId);
        writer.Text("PATH", Path);
        writer.Text("VALUE", Value);
        writer.Number("MTIME", ModificationTime);
        writer.Number("ATIME", AccessTime);
        Permissions.Write(writer);
        Rpc.Write(writer);
    }
}
