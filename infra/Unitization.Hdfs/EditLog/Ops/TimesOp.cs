using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_TIMES: a path's modification and access times set.</summary>
internal sealed record TimesOp(long TxId, string Path, long ModificationTime, long AccessTime) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_TIMES;

    public static TimesOp Read(ref OpBodyReader reader, long txId)
    {
        var path = reader.ReadUtf8();
        var mtime = reader.ReadInt64();
        return new TimesOp(txId, path, mtime, reader.ReadInt64());
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Number("LENGTH", 0);
        writer.Text("PATH", Path);
        writer.Number("MTIME", ModificationTime);
        writer.Number("ATIME", AccessTime);
    }
}
