using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_APPEND: a file opened for append (into a new block when <see cref="NewBlock"/>).</summary>
internal sealed record AppendOp(long TxId, string Path, string ClientName, string ClientMachine, bool NewBlock, RpcIds Rpc) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_APPEND;

    public static AppendOp Read(ref OpBodyReader reader, long txId)
    {
        var path = reader.ReadUtf8();
        var clientName = reader.ReadUtf8();
        var clientMachine = reader.ReadUtf8();
        var newBlock = reader.ReadBoolean();
        return new AppendOp(txId, path, clientName, clientMachine, newBlock, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("PATH", Path);
        writer.Text("CLIENT_NAME", ClientName);
        writer.Text("CLIENT_MACHINE", ClientMachine);
        writer.Boolean("NEWBLOCK", NewBlock);
        Rpc.Write(writer);
    }
}
