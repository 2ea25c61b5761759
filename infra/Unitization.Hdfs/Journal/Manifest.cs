using System.Text.Json.Serialization;

namespace Unitization.Hdfs.Journal;

/// <summary>The segments a JournalNode holds from a txid on (QJournalProtocol's RemoteEditLogManifestProto, as JSON).</summary>
internal sealed record Manifest([property: JsonPropertyName("logs")] IReadOnlyList<ManifestLog> Logs);
