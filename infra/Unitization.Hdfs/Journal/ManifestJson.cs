using System.Text.Json.Serialization;

namespace Unitization.Hdfs.Journal;

[JsonSerializable(typeof(Manifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
