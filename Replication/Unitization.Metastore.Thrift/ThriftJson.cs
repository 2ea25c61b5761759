using System.Text;
using Thrift;
using Thrift.Protocol;
using Thrift.Transport.Client;

namespace Unitization.Replication.Metastore;

/// <summary>
/// Thrift objects as Hive's JSON messages embed them (<c>tableObjJson</c>, <c>partitionListJson</c>): Thrift's
/// TJSONProtocol, as Hive's MessageBuilder writes them with <c>TSerializer(new TJSONProtocol.Factory())</c>.
/// </summary>
public static class ThriftJson
{
    private static readonly TConfiguration Configuration = new();

    public static async Task<string> SerializeAsync(TBase value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var buffer = new TMemoryBufferTransport(Configuration);
        using var protocol = new TJsonProtocol(buffer);
        await value.WriteAsync(protocol, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(buffer.GetBuffer());
    }

    public static async Task<T> DeserializeAsync<T>(string json, CancellationToken cancellationToken)
        where T : TBase, new()
    {
        ArgumentNullException.ThrowIfNull(json);
        using var buffer = new TMemoryBufferTransport(Encoding.UTF8.GetBytes(json), Configuration);
        using var protocol = new TJsonProtocol(buffer);
        var value = new T();
        await value.ReadAsync(protocol, cancellationToken).ConfigureAwait(false);
        return value;
    }
}
