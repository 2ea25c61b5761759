using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_ADD_BLOCK: a block allocated at the end of a file under construction (with the completed one before it, if any).</summary>
internal sealed record AddBlockOp(long TxId, string Path, Block? PenultimateBlock, Block LastBlock, RpcIds Rpc) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_ADD_BLOCK;

    public static AddBlockOp Read(ref OpBodyReader reader, long txId)
    {
        var path = reader.ReadUtf8();
        var at = reader.Position;
        var blocks = Block.ReadCompactArray(ref reader);
        if (blocks.Count is not (1 or 2))
        {
            throw new EditLogFormatException($"an ADD_BLOCK has {blocks.Count} blocks; it has 1 or 2", reader.Offset + at);
        }

        Block? penultimate = blocks.Count == 2 ? blocks[0] : null;
        return new AddBlockOp(txId, path, penultimate, blocks[^1], RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("PATH", Path);
        PenultimateBlock?.Write(writer);
        LastBlock.Write(writer);
        Rpc.Write(writer);
    }
}
