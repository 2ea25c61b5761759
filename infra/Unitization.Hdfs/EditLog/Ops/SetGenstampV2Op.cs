using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_SET_GENSTAMP_V2: the generation stamp advanced.</summary>
internal sealed record SetGenstampV2Op(long TxId, long GenerationStamp) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_SET_GENSTAMP_V2;

    public static SetGenstampV2Op Read(ref OpBodyReader reader, long txId) => new(txId, reader.ReadInt64());

    public override void WriteFields(IEditFieldWriter writer) => writer.Number("GENSTAMPV2", GenerationStamp);
}
