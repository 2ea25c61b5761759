using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_SET_OWNER: a path's owner and/or group changed (an empty name on the wire means unchanged: null).</summary>
internal sealed record SetOwnerOp(long TxId, string Source, string? UserName, string? GroupName) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_SET_OWNER;

    public static SetOwnerOp Read(ref OpBodyReader reader, long txId)
    {
        var src = reader.ReadUtf8();
        var user = reader.ReadUtf8();
        var group = reader.ReadUtf8();
        return new SetOwnerOp(txId, src, user.Length == 0 ? null : user, group.Length == 0 ? null : group);
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("SRC", Source);
        if (UserName is not null)
        {
            writer.Text("USERNAME", UserName);
        }

        if (GroupName is not null)
        {
            writer.Text("GROUPNAME", GroupName);
        }
    }
}
