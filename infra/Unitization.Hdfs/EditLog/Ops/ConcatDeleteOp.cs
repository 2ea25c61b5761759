using System.Globalization;
using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_CONCAT_DELETE: the sources' blocks appended to the target, the sources deleted.</summary>
internal sealed record ConcatDeleteOp(long TxId, string Target, ValueList<string> Sources, long Timestamp, RpcIds Rpc) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_CONCAT_DELETE;

    public static ConcatDeleteOp Read(ref OpBodyReader reader, long txId)
    {
        var target = reader.ReadUtf8();
        var count = reader.ReadInt32();
        if (count is < 0 or > 1024 * 1024)
        {
            throw reader.Error($"a concat has {count} sources; between 0 and 1048576 are allowed");
        }

        if (count > reader.Remaining / 2)
        {
            throw new OpTruncatedException();
        }

        var sources = new string[count];
        for (var i = 0; i < count; i++)
        {
            sources[i] = reader.ReadUtf8();
        }

        var timestamp = reader.ReadInt64();
        return new ConcatDeleteOp(txId, target, new ValueList<string>(sources), timestamp, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Number("LENGTH", 0);
        writer.Text("TRG", Target);
        writer.Number("TIMESTAMP", Timestamp);
        writer.Begin("SOURCES");
        for (var i = 0; i < Sources.Count; i++)
        {
            writer.Text("SOURCE" + (i + 1).ToString(CultureInfo.InvariantCulture), Sources[i]);
        }

        writer.End();
        Rpc.Write(writer);
    }
}
