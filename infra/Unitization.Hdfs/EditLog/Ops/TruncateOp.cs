using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_TRUNCATE: a file cut to <see cref="NewLength"/> (with the block being recovered, if the cut is inside one).</summary>
internal sealed record TruncateOp(
    long TxId, string Source, string ClientName, string ClientMachine, long NewLength, long Timestamp, Block? TruncateBlock)
    : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_TRUNCATE;

    public static TruncateOp Read(ref OpBodyReader reader, long txId)
    {
        var src = reader.ReadUtf8();
        var clientName = reader.ReadUtf8();
        var clientMachine = reader.ReadUtf8();
        var newLength = reader.ReadInt64();
        var timestamp = reader.ReadInt64();
        var at = reader.Position;
        var blocks = Block.ReadCompactArray(ref reader);
        if (blocks.Count > 1)
        {
            throw new EditLogFormatException($"a TRUNCATE has {blocks.Count} blocks; it has 0 or 1", reader.Offset + at);
        }

        Block? block = blocks.Count == 1 ? blocks[0] : null;
        return new TruncateOp(txId, src, clientName, clientMachine, newLength, timestamp, block);
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("SRC", Source);
        writer.Text("CLIENTNAME", ClientName);
        writer.Text("CLIENTMACHINE", ClientMachine);
        writer.Number("NEWLENGTH", NewLength);
        writer.Number("TIMESTAMP", Timestamp);
        TruncateBlock?.Write(writer);
    }
}
