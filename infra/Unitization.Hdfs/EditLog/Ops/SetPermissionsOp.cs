using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_SET_PERMISSIONS: a path's mode changed.</summary>
internal sealed record SetPermissionsOp(long TxId, string Source, short Mode) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_SET_PERMISSIONS;

    public static SetPermissionsOp Read(ref OpBodyReader reader, long txId)
    {
        var src = reader.ReadUtf8();
        return new SetPermissionsOp(txId, src, PermissionStatus.ReadMode(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("SRC", Source);
        writer.Number("MODE", Mode);
    }
}
