using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_ADD_ERASURE_CODING_POLICY: a user-defined erasure coding policy added.</summary>
internal sealed record AddErasureCodingPolicyOp(
    long TxId, string Codec, int DataUnits, int ParityUnits, int CellSize, ValueList<ErasureCodingOption> ExtraOptions, RpcIds Rpc)
    : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_ADD_ERASURE_CODING_POLICY;

    /// <summary><c>FSImageSerialization.readErasureCodingPolicy</c>: codec, data and parity units, cell size, int count, key/value strings.</summary>
    public static AddErasureCodingPolicyOp Read(ref OpBodyReader reader, long txId)
    {
        var codec = reader.ReadUtf8();
        var dataUnits = reader.ReadInt32();
        var parityUnits = reader.ReadInt32();
        var cellSize = reader.ReadInt32();
        var at = reader.Position;
        var count = reader.ReadInt32();
        if (count < 0)
        {
            throw new EditLogFormatException($"an erasure coding policy has {count} extra options", reader.Offset + at);
        }

        if (count > reader.Remaining / 4)
        {
            throw new OpTruncatedException();
        }

        var options = new ErasureCodingOption[count];
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadUtf8();
            options[i] = new ErasureCodingOption(key, reader.ReadUtf8());
        }

        if (cellSize <= 0 || cellSize % 1024 != 0)
        {
            throw new EditLogFormatException($"an erasure coding policy's cell size {cellSize} is not a positive multiple of 1024", reader.Offset + at - 4);
        }

        return new AddErasureCodingPolicyOp(txId, codec, dataUnits, parityUnits, cellSize, new ValueList<ErasureCodingOption>(options), RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("CODEC", Codec);
        writer.Number("DATAUNITS", DataUnits);
        writer.Number("PARITYUNITS", ParityUnits);
        writer.Number("CELLSIZE", CellSize);
        var options = JavaHashMapOrder.Of(ExtraOptions.Select(o => (o.Key, o.Value)));
        writer.Number("EXTRAOPTIONS", options.Count);
        foreach (var (key, value) in options)
        {
            writer.Begin("EXTRAOPTION", repeated: true);
            writer.Text("KEY", key);
            writer.Text("VALUE", value);
            writer.End();
        }

        Rpc.Write(writer);
    }
}
