using System.Text.Json;
using Unitization.Replication.Events;

namespace Unitization.Replication.Metastore;

/// <summary>The transaction id of a COMMIT_TXN or ABORT_TXN message (Hive's JSONCommitTxnMessage, JSONAbortTxnMessage: <c>txnid</c>).</summary>
internal static class HiveTxnMessage
{
    /// <summary>The message's <c>txnid</c>, or null when the message cannot be decoded or has none.</summary>
    public static long? TryReadTxnId(HmsEventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        try
        {
            using var document = JsonDocument.Parse(HiveMessageFormat.Decode(envelope.MessageFormat, envelope.Message));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("txnid", out var txn) && txn.ValueKind == JsonValueKind.Number && txn.TryGetInt64(out var id)
                ? id
                : null;
        }
        catch (Exception ex) when (ex is JsonException or MalformedEventException)
        {
            return null;
        }
    }
}
