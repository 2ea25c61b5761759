using System.Net.Sockets;
using Confluent.Kafka;
using Thrift;
using Thrift.Transport;
using Unitization.Namespaces;
using Unitization.Replication.Copy;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;

namespace Unitization.Replication.Workers;

/// <summary>
/// Sorts what applying one event threw. A failure of the moment (I/O, network, HMS, Kafka or the state store
/// unreachable, a namespace that cannot take writes right now) is worth retrying; anything else is a property of the
/// event (it fails the same way every time: parse, type, range, overflow, an unknown shape, a path the namespace
/// refuses) and goes to the dead-letter topic at once. Decoding an event (its envelope, its message, the Thrift objects
/// it embeds) reads nothing but the event, so whatever it throws arrives here as a <see cref="MalformedEventException"/>;
/// an exception of a kind not known to be transient also counts as a property of the event, so no single event holds its
/// partition: a replay applies it again once its cause is fixed.
/// </summary>
internal static class EventFailure
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        MalformedEventException or NamespacePathException or NoSuchObjectException => false,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient),
        IOException or InvalidDataException or SocketException or TimeoutException or HttpRequestException => true,
        TTransportException or TApplicationException or Thrift.Protocol.TProtocolException or MetaException => true,
        KafkaException or System.Data.Common.DbException => true,
        System.Text.Json.JsonException => true, // an event's own JSON is decoded at the boundary (MalformedEventException): this is a rule source's answer
        InvalidOperationException or ObjectDisposedException => true,
        OperationCanceledException { InnerException: TimeoutException } => true,
        _ => false,
    };

    /// <summary>The reason a dead letter carries: the message of a known malformation, else the exception's type and message.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is MalformedEventException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";
    }
}
