using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_MKDIR: a directory created. The op's access time (written equal to the timestamp) is read and dropped, as Hadoop does.</summary>
internal sealed record MkdirOp(
    long TxId, long InodeId, string Path, long Timestamp, PermissionStatus Permissions, ValueList<AclEntry>? AclEntries, ValueList<XAttr>? XAttrs)
    : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_MKDIR;

    public static MkdirOp Read(ref OpBodyReader reader, long txId)
    {
        var inodeId = reader.ReadInt64();
        var path = reader.ReadUtf8();
        var timestamp = reader.ReadInt64();
        _ = reader.ReadInt64(); // access time, unused
        var permissions = PermissionStatus.Read(ref reader);
        var acl = AclEntry.ReadCompact(ref reader);
        return new MkdirOp(txId, inodeId, path, timestamp, permissions, acl, XAttr.ReadForInode(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Number("LENGTH", 0);
        writer.Number("INODEID", InodeId);
        writer.Text("PATH", Path);
        writer.Number("TIMESTAMP", Timestamp);
        Permissions.Write(writer);
        if (AclEntries is { } acl)
        {
            AclEntry.WriteAll(writer, acl);
        }

        if (XAttrs is { } xattrs)
        {
            XAttr.WriteAll(writer, xattrs);
        }
    }
}
