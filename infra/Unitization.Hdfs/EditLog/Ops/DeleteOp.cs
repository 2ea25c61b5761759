using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_DELETE: a file or directory (with everything below it) deleted.</summary>
internal sealed record DeleteOp(long TxId, string Path, long Timestamp, RpcIds Rpc) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_DELETE;

    public static DeleteOp Read(ref OpBodyReader reader, long txId)
    {
        var path = reader.ReadUtf8();
        var timestamp = reader.ReadInt64();
        return new DeleteOp(txId, path, timestamp, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Number("LENGTH", 0);
        writer.Text("PATH", Path);
        writer.Number("TIMESTAMP", Timestamp);
        Rpc.Write(writer);
    }
}
