using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_GET_DELEGATION_TOKEN and OP_RENEW_DELEGATION_TOKEN: a token issued or renewed, with its expiry time.</summary>
internal sealed record DelegationTokenOp(long TxId, EditLogOpCode Code, DelegationTokenIdentifier Token, long ExpiryTime) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => Code;

    public static DelegationTokenOp Read(ref OpBodyReader reader, long txId, EditLogOpCode code)
    {
        var token = DelegationTokenIdentifier.Read(ref reader);
        return new DelegationTokenOp(txId, code, token, reader.ReadInt64());
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        Token.Write(writer);
        writer.Number("EXPIRY_TIME", ExpiryTime);
    }
}
