using System.ComponentModel.DataAnnotations;
using Unitization.ApiClient.Failover;

namespace Unitization.Throttle.Configuration;

/// <summary>The <c>Throttle</c> section: link budgets, class floors, tenant weights, leases and the client's fallback.</summary>
public sealed class ThrottleOptions
{
    public const string SectionName = "Throttle";

    private UrlList _serviceUrl = [];

    /// <summary>Budget per directed link. A link not listed (or within one datacenter) is not throttled.</summary>
    public List<LinkOptions> Links { get; set; } = [];

    public ClassFloorOptions Floors { get; set; } = new();

    /// <summary>Weight of a tenant within its class (default 1): <c>{"rule-orders": 4}</c>.</summary>
    public Dictionary<string, double> TenantWeights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The throttle service clients lease from, e.g. <c>http://127.0.0.1:8080</c>; in a fleet every throttle instance,
    /// comma-separated (<c>http://t1:8080,http://t2:8080</c>) or as a JSON array, tried in turn. Empty: budget locally.
    /// </summary>
    public UrlList ServiceUrl
    {
        get => _serviceUrl;
        set => _serviceUrl = value ?? []; // "ServiceUrl": null in a JSON file
    }

    /// <summary>A lease is this much time of the link's rate.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan LeaseSlice { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a lease may be spent; what is left after is dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the service holds a lease request waiting for budget before answering "none yet".</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan MaxLeaseWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Renew when what is left of the leases drops below this fraction of a lease.</summary>
    [Range(0d, 1d)]
    public double RenewBelow { get; set; } = 0.5;

    /// <summary>Fraction of each link's rate a client spends on its own while the service is unreachable.</summary>
    [Range(0.0001d, 1d)]
    public double FallbackShare { get; set; } = 0.1;

    /// <summary>How often a client that fell back tries the service again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);
}
