using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Model;

/// <summary>
/// The client id (16 bytes, or none for ops the NameNode made itself) and call id of the RPC that made an op,
/// kept for the retry cache. <see cref="None"/> is what ops without them hold (call id -2).
/// </summary>
internal readonly record struct RpcIds(ValueList<byte> ClientId, int CallId)
{
    public static RpcIds None { get; } = new(ValueList<byte>.Empty, -2);

    public static RpcIds Read(ref OpBodyReader reader)
    {
        var clientId = reader.ReadUtf8Bytes().ToArray();
        return new RpcIds(new ValueList<byte>(clientId), reader.ReadInt32());
    }

    /// <summary>RPC_CLIENTID as a UUID (empty when there is none) and RPC_CALLID, as oev prints them.</summary>
    public void Write(IEditFieldWriter writer)
    {
        var id = ClientId.AsSpan();
        if (id.Length is not (0 or 16))
        {
            throw new EditLogFormatException($"an RPC client id has {id.Length} bytes; Hadoop's are 16 (a UUID)");
        }

        writer.Text("RPC_CLIENTID", id.IsEmpty ? string.Empty : new Guid(id, bigEndian: true).ToString());
        writer.Number("RPC_CALLID", CallId);
    }
}
