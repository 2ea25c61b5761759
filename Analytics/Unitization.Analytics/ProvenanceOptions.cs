namespace Unitization.Analytics;

/// <summary>
/// <c>Analytics:Provenance</c>: which producers' traffic messages the ingest stores (their keys) and the name this
/// process signs as; read by <see cref="Traffic.TrafficProvenance.FromConfiguration"/> in every role that records traffic.
/// </summary>
public sealed class ProvenanceOptions
{
    /// <summary>The name this process signs its traffic messages as (default <c>unitization</c>).</summary>
    public string? Producer { get; set; }

    /// <summary>Producer name → base64 key (at least 16 bytes; secrets). None: one machine-local key file in the data folder.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Refuse unsigned traffic messages (default true).</summary>
    public bool Required { get; set; } = true;
}
