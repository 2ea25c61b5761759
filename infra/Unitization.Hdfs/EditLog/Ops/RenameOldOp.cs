using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_RENAME_OLD: the original rename (no options).</summary>
internal sealed record RenameOldOp(long TxId, string Source, string Destination, long Timestamp, RpcIds Rpc) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_RENAME_OLD;

    public static RenameOldOp Read(ref OpBodyReader reader, long txId)
    {
        var src = reader.ReadUtf8();
        var dst = reader.ReadUtf8();
        var timestamp = reader.ReadInt64();
        return new RenameOldOp(txId, src, dst, timestamp, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Number("LENGTH", 0);
        writer.Text("SRC", Source);
        writer.Text("DST", Destination);
        writer.Number("TIMESTAMP", Timestamp);
        Rpc.Write(writer);
    }
}
