namespace Unitization.Host.Security;

/// <summary>The audit log: the state store always, and a Kafka topic when one is named.</summary>
public sealed class AuditOptions
{
    /// <summary>The Kafka topic audit records are also produced to (empty: the state store only).</summary>
    public string Topic { get; set; } = string.Empty;

    /// <summary>Whether successful calls by <c>service</c> principals (leases, rules, records) are audited too.</summary>
    public bool IncludeServiceCalls { get; set; }
}
