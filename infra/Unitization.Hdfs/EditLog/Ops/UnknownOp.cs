using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>
/// An op whose opcode this decoder does not know, in a layout whose ops carry their length, so it was skipped
/// whole and the stream stays aligned. oev fails on it; the XML writer reports it as an error.
/// </summary>
internal sealed record UnknownOp(long TxId, byte RawOpCode, ValueList<byte> Body) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => (EditLogOpCode)RawOpCode;

    public override void WriteFields(IEditFieldWriter writer) =>
        throw new EditLogFormatException($"txid {TxId} has opcode {RawOpCode}, which Hadoop 3.4 does not define");
}
