using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_SET_REPLICATION: a file's replication factor changed.</summary>
internal sealed record SetReplicationOp(long TxId, string Path, short Replication) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_SET_REPLICATION;

    public static SetReplicationOp Read(ref OpBodyReader reader, long txId)
    {
        var path = reader.ReadUtf8();
        return new SetReplicationOp(txId, path, reader.ReadInt16());
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("PATH", Path);
        writer.Number("REPLICATION", Replication);
    }
}
