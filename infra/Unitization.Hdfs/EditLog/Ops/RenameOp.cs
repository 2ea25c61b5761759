using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_RENAME: a rename with options (0 NONE, 1 OVERWRITE, 2 TO_TRASH).</summary>
internal sealed record RenameOp(long TxId, string Source, string Destination, long Timestamp, ValueList<byte> Options, RpcIds Rpc) : EditLogOp(TxId)
{
    private static readonly string[] OptionNames = ["NONE", "OVERWRITE", "TO_TRASH"];

    public override EditLogOpCode OpCode => EditLogOpCode.OP_RENAME;

    public static RenameOp Read(ref OpBodyReader reader, long txId)
    {
        var src = reader.ReadUtf8();
        var dst = reader.ReadUtf8();
        var timestamp = reader.ReadInt64();
        var options = reader.ReadBytes(reader.ReadInt32()).ToArray(); // BytesWritable
        foreach (var option in options)
        {
            if (option >= OptionNames.Length)
            {
                throw reader.Error($"unknown rename option {option}");
            }
        }

        return new RenameOp(txId, src, dst, timestamp, new ValueList<byte>(options), RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Number("LENGTH", 0);
        writer.Text("SRC", Source);
        writer.Text("DST", Destination);
        writer.Number("TIMESTAMP", Timestamp);
        writer.Text("OPTIONS", string.Join('|', Options.Select(o => OptionNames[o])));
        Rpc.Write(writer);
    }
}
