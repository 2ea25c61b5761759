using System.ComponentModel.DataAnnotations;

namespace Unitization.Analytics;

/// <summary>Configuration section <c>Analytics</c> (keys documented in <c>Analytics/README.md</c>).</summary>
public sealed class AnalyticsOptions
{
    public const string SectionName = "Analytics";

    /// <summary>ClickHouse's HTTP interface, e.g. <c>http://127.0.0.1:8123</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    [Url]
    public string ClickHouseUrl { get; set; } = "http://127.0.0.1:8123";

    /// <summary>Relative to the data folder: the file <c>infra/clickhouse/clickhouse.sh</c> writes with its HTTP port
    /// (read when present; it wins over the port of <see cref="ClickHouseUrl"/>, since the port changes per start).</summary>
    public string? ClickHousePortFile { get; set; }

    /// <summary>Which producers' traffic records are stored (<see cref="ProvenanceOptions"/>).</summary>
    public ProvenanceOptions Provenance { get; set; } = new();

    /// <summary>The ClickHouse user (none: ClickHouse's <c>default</c> user without a password).</summary>
    public string? ClickHouseUser { get; set; }

    /// <summary>Its password (a secret: never logged; set it through UNITIZATION_Analytics__ClickHousePassword or a secrets file).</summary>
    public string? ClickHousePassword { get; set; }

    /// <summary>A CA certificate (PEM or DER) an <c>https://</c> ClickHouse's certificate may chain to, beside the system's roots.</summary>
    public string? ClickHouseCaPath { get; set; }

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]*$", ErrorMessage = "A ClickHouse database name is letters, digits and underscores.")]
    public string Database { get; set; } = "unitization";

    [Required(AllowEmptyStrings = false)]
    public string TrafficTopic { get; set; } = "traffic";

    [Required(AllowEmptyStrings = false)]
    public string DeadLetterTopic { get; set; } = "traffic-dlq";

    [Required(AllowEmptyStrings = false)]
    public string ConsumerGroup { get; set; } = "unitization-analytics";

    /// <summary>Consume the traffic topic (off: the API and dashboard only, e.g. a read-only replica).</summary>
    public bool Ingest { get; set; } = true;

    /// <summary>Most records one insert carries.</summary>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 100_000;

    /// <summary>
    /// Batches inserting into ClickHouse at once. ClickHouse writes an insert on one thread, so a second one in flight
    /// lets it use a second core; offsets are still committed in batch order. While batches wait in the spool
    /// (ClickHouse in trouble) the ingest inserts one at a time.
    /// </summary>
    [Range(1, 16)]
    public int InsertConcurrency { get; set; } = 2;

    /// <summary>How long a batch waits for more records before it is written.</summary>
    [Range(1, 60_000)]
    public int BatchLingerMilliseconds { get; set; } = 500;

    /// <summary>
    /// How long the group waits for a silent consumer before its partitions go to another analytics process (a killed
    /// one's twin takes over its partitions after this; librdkafka's own default is 45 s).
    /// </summary>
    [Range(6_000, 300_000)]
    public int ConsumerSessionTimeoutMilliseconds { get; set; } = 10_000;

    /// <summary>Batches ClickHouse could not take wait here (relative to the data folder) until it can.</summary>
    [Required(AllowEmptyStrings = false)]
    public string SpoolFolder { get; set; } = "analytics-spool";

    /// <summary>How far back (by record time) replays are recognised from memory; older duplicates are checked in ClickHouse.</summary>
    [Range(1, 24 * 30)]
    public int DedupeWindowHours { get; set; } = 48;

    /// <summary>Pause between attempts to write spooled batches while ClickHouse is down.</summary>
    [Range(50, 600_000)]
    public int RetryMilliseconds { get; set; } = 1000;

    /// <summary>The Throttle role's base URL; empty means this process (the Throttle role in the same host), never a request's Host.</summary>
    [RegularExpression(@"^(https?://[^\s/?#]+/?)?$", ErrorMessage = "ThrottleUrl must be empty (this process) or an http(s) base URL such as http://throttle:8080.")]
    public string? ThrottleUrl { get; set; }

    /// <summary>The DataManager role's base URL, for its cost model in the suggestions; empty means this process.</summary>
    [RegularExpression(@"^(https?://[^\s/?#]+/?)?$", ErrorMessage = "DataManagerUrl must be empty (this process) or an http(s) base URL such as http://datamanager:8080.")]
    public string? DataManagerUrl { get; set; }

    /// <summary>The largest body <c>POST /api/v1/traffic/records</c> takes (a JSON array of records); 413 beyond it.</summary>
    [Range(1024L, 1L << 30)]
    public long MaxRecordsBodyBytes { get; set; } = 16L << 20;

    /// <summary>Dashboard auto-refresh period.</summary>
    [Range(1, 3600)]
    public int RefreshSeconds { get; set; } = 5;
}
