using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_SET_GENSTAMP_V1: the legacy generation stamp advanced.</summary>
internal sealed record SetGenstampV1Op(long TxId, long GenerationStamp) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_SET_GENSTAMP_V1;

    public static SetGenstampV1Op Read(ref OpBodyReader reader, long txId) => new(txId, reader.ReadInt64());

    public override void WriteFields(IEditFieldWriter writer) => writer.Number("GENSTAMP", GenerationStamp);
}
