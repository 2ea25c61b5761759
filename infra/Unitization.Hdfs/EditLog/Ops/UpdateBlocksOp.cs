using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_UPDATE_BLOCKS: a file's whole block list (after abandon, recovery or hflush).</summary>
internal sealed record UpdateBlocksOp(long TxId, string Path, ValueList<Block> Blocks, RpcIds Rpc) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_UPDATE_BLOCKS;

    public static UpdateBlocksOp Read(ref OpBodyReader reader, long txId)
    {
        var path = reader.ReadUtf8();
        var blocks = Block.ReadCompactArray(ref reader);
        return new UpdateBlocksOp(txId, path, blocks, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("PATH", Path);
        foreach (var block in Blocks)
        {
            block.Write(writer);
        }

        Rpc.Write(writer);
    }
}
