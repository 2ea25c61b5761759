using System.ComponentModel.DataAnnotations;
using Unitization.ApiClient.Failover;

namespace Unitization.Replication;

/// <summary>Configuration section <c>Replication</c>.</summary>
public sealed class ReplicationOptions : IValidatableObject
{
    public const string SectionName = "Replication";

    private UrlList _rulesUrl = [];

    /// <summary>
    /// The HMS to follow, <c>thrift://host:port</c>, or several separated by commas as in <c>hive.metastore.uris</c>
    /// (a call that fails on the network moves to the next); empty: read the address from <see cref="MetastoreUriFile"/>.
    /// </summary>
    public string? MetastoreUri { get; set; }

    /// <summary>
    /// Whether the pump asks HMS only for what the rules need: <c>eventTypeSkipList</c> (statistics, constraints,
    /// functions), and when every ruled table is in one database, <c>dbName</c> and <c>tableNames</c>.
    /// </summary>
    public bool FilterNotifications { get; set; } = true;

    /// <summary>Only events of this HMS catalog (<c>catName</c>, Hive 3 and later; <c>hive</c> is the default catalog); empty: every catalog.</summary>
    public string? MetastoreCatalog { get; set; }

    /// <summary>What happens to writes into ACID (transactional) tables that a rule replicates.</summary>
    public AcidTableMode AcidTables { get; set; } = AcidTableMode.ReplicateAtCommit;

    /// <summary>Relative to the data folder; the sample HMS writes its address there when it starts.</summary>
    [Required(AllowEmptyStrings = false)]
    public string MetastoreUriFile { get; set; } = "sample-hms.uri";

    [Range(1, 100_000)]
    public int PumpBatchSize { get; set; } = 500;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PumpPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MetastoreTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A Kerberized HMS's service principal (<c>hive.metastore.kerberos.principal</c>, e.g. <c>hive/_HOST@REALM</c>;
    /// <c>_HOST</c> becomes the URI's host): the client then speaks SASL GSSAPI over Thrift with the process's Kerberos
    /// credentials (ticket cache, or <c>KRB5_CLIENT_KTNAME</c>). Empty: plain Thrift.
    /// </summary>
    public string? MetastoreKerberosPrincipal { get; set; }

    /// <summary>The SASL protection the client accepts: <c>auth</c>, <c>auth-int</c> or <c>auth-conf</c> (Hive's <c>hadoop.rpc.protection</c> authentication, integrity, privacy).</summary>
    [RegularExpression("^(auth|auth-int|auth-conf)$", ErrorMessage = "MetastoreSaslQop must be auth, auth-int or auth-conf.")]
    public string MetastoreSaslQop { get; set; } = "auth";

    /// <summary>Longest pause between retries of a transient failure (HMS down, copy I/O); backoff doubles up to it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a worker retries an event that fails transiently (I/O, network, HMS or the state store unreachable, a
    /// namespace that cannot take writes) before it parks it on the dead-letter topic; backoff doubles up to <see cref="MaxBackoff"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TransientRetryLimit { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A partition whose oldest unapplied event has been worked on this long (or failed once) is reported stalled and degrades health.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StalledAfter { get; set; } = TimeSpan.FromMinutes(5);

    [Required(AllowEmptyStrings = false)]
    public string EventsTopic { get; set; } = "hms-events";

    [Required(AllowEmptyStrings = false)]
    public string DeadLetterTopic { get; set; } = "hms-events-dlq";

    [Required(AllowEmptyStrings = false)]
    public string ConsumerGroup { get; set; } = "unitization-replicator";

    /// <summary>Names this worker's staging folder, cleaned when a worker with the same id restarts.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$", ErrorMessage = "WorkerId must be 1-64 letters, digits, '_', '.' or '-'.")]
    public string WorkerId { get; set; } = "worker-0";

    /// <summary>
    /// Where staging and trash folders live in every namespace: <c>/.unitization</c> or a folder in it, which namespaces
    /// never list and the gateway, resolve and the fs verbs refuse (NamespacePath.InternalRoot).
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^/\\.unitization(/[^ ]*)?$", ErrorMessage = "WorkRoot must be /.unitization or a folder in it (the internal folder users never see).")]
    public string WorkRoot { get; set; } = "/.unitization";

    /// <summary>
    /// DataManager's base URL when this process has no datamanager role; rules come from <c>GET {RulesUrl}/api/v1/replication/rules</c>.
    /// A fleet names every DataManager instance, as an array or one string separated by commas: the rules are asked of
    /// the one that answered last, and one that is down, answers 5xx or takes longer than <see cref="RulesTimeout"/> is
    /// skipped for the next.
    /// </summary>
    public UrlList RulesUrl
    {
        get => _rulesUrl;
        set => _rulesUrl = value ?? []; // "RulesUrl": null in a JSON file
    }

    /// <summary>How long one DataManager instance of <see cref="RulesUrl"/> may take to answer before the next is asked.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan RulesTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RulesRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The consumer group's session timeout: how long a worker that died without leaving (killed) keeps its partitions,
    /// and so how long a rebalance may wait for it. Kafka's default is 45 s; a broker accepts 6 s and up by default.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan ConsumerSessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 64)]
    public int CopyParallelism { get; set; } = 4;

    /// <summary>
    /// Whether a replica's staged files are fsynced before it is published and its commit record written (the default).
    /// Off, they are left to the kernel's writeback, as HDFS's <c>dfs.datanode.synconclose=false</c> (HDFS's own
    /// default) does: faster, but a power loss within the writeback delay can leave a published replica whose files
    /// lost data while its commit record says it is fresh. The edit log is fsynced either way; the staged files' directory
    /// entries are fsynced with their data (once a directory, before the publish), so off they too are left to writeback.
    /// </summary>
    public bool SyncStagedData { get; set; } = true;

    /// <summary>
    /// Whether a durable local copy drops the replica's pages from the page cache behind it (off by default, as HDFS's
    /// <c>dfs.datanode.drop.cache.behind.writes</c> is): once a file has more than 16 MiB copied, the copier waits for
    /// the data 8 MiB behind it to reach the disk and drops it, so a copy of gigabytes leaves the page cache to what
    /// readers of the primary use. It costs throughput: on the 8.2 GB bench, measured without the VM's free page
    /// reporting, the durable replica took 0.86 of <c>cp -r</c> + <c>sync -f</c>'s throughput with it against a median
    /// of 0.98 without (0.90–1.02), since each copy waits for its own writeback. Needs <see cref="SyncStagedData"/>
    /// (the copy starts its writeback only then); validation refuses it without.
    /// </summary>
    public bool DropCacheBehindWrites { get; set; }

    /// <summary>
    /// How long a replica on a namespace that cannot swap two paths (HDFS) stays out of the routers' view before it is
    /// replaced: its commit record is removed first, so every router resolves reads of it to the primary (or another
    /// fresh copy) after its next refresh (<c>Router:RefreshInterval</c>, 1 s by default), and a reader that resolved
    /// just before has this long to open it; only then does the old copy go aside and the new one into place, and the
    /// new record is written. Must exceed the routers' <c>Router:ReplicaRecordsMaxAge</c> (3 s by default: a router that
    /// cannot refresh drops its records by then) plus the time a reader takes from resolve to open.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "ReplicaSwapGrace must be between 0 and 1 hour.")]
    public TimeSpan ReplicaSwapGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A migration copies a file larger than this in chunks of this size, each verified and recorded in its checkpoint
    /// with its checksum, so a run killed mid-file resumes from the last verified chunk instead of from byte 0 (1 MiB to
    /// 1 GiB; default 16 MiB). The chunks are then assembled inside the target, which writes the file's bytes there once more.
    /// </summary>
    [Range(1L << 20, 1L << 30)]
    public long MigrationChunkSize { get; set; } = 16L << 20;

    /// <summary>
    /// An API migration is run by one replicator process, its owner, which renews a lease in the state store; when the
    /// owner dies (the lease runs out) another process takes the job over and resumes it from its checkpoint.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan MigrationLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>This process's name as the owner of migrations (default: host name, process id and a random suffix).</summary>
    [RegularExpression("^[A-Za-z0-9._:@-]{1,128}$", ErrorMessage = "InstanceId takes 1-128 letters, digits and . _ : @ -.")]
    public string? InstanceId { get; set; }

    /// <summary>Replicas expire this long after their last commit (0: never; a pinned rule's <c>Ttl</c> overrides it); swept by a Quartz job.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan ReplicaTtl { get; set; } = TimeSpan.Zero;

    /// <summary>How long a replica of a dataset no longer in the rules stays before it is retired.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan RetireGracePeriod { get; set; } = TimeSpan.FromDays(1);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LifecycleInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether this process runs the event pump (one per HMS) and the workers (scale with topic partitions).</summary>
    public bool RunPump { get; set; } = true;

    public bool RunWorkers { get; set; } = true;

    /// <summary>
    /// Operator-pinned rules: these datasets keep replicas in their targets whatever the placement plan says; merged
    /// with the plan's rules (targets united, the higher priority wins).
    /// </summary>
    public IList<PinnedRule> PinnedRules { get; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var uri in (MetastoreUri ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string? error = null;
            try
            {
                Metastore.MetastoreEndpoint.Parse(uri);
            }
            catch (FormatException ex)
            {
                error = ex.Message;
            }

            if (error is not null)
            {
                yield return new ValidationResult($"{nameof(MetastoreUri)}: {error}", [nameof(MetastoreUri)]);
            }
        }

        foreach (var url in RulesUrl)
        {
            if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
            {
                yield return new ValidationResult($"{nameof(RulesUrl)}: '{url}' is not an http(s) base URL such as http://datamanager:8080.", [nameof(RulesUrl)]);
            }
        }

        if (!Enum.IsDefined(AcidTables))
        {
            yield return new ValidationResult($"{nameof(AcidTables)} must be ReplicateAtCommit or Refuse.", [nameof(AcidTables)]);
        }

        if (DropCacheBehindWrites && !SyncStagedData)
        {
            yield return new ValidationResult(
                $"{nameof(DropCacheBehindWrites)} needs {nameof(SyncStagedData)}: the drop waits for writeback that only a durable copy starts; " +
                $"without {nameof(SyncStagedData)} the replica's data is left to the kernel's writeback.",
                [nameof(DropCacheBehindWrites), nameof(SyncStagedData)]);
        }

        for (var i = 0; i < PinnedRules.Count; i++)
        {
            var rule = PinnedRules[i];
            var at = $"PinnedRules:{i}";
            if (string.IsNullOrWhiteSpace(rule.DatasetNamespace) || !rule.DatasetNamespace.StartsWith("hive", StringComparison.OrdinalIgnoreCase))
            {
                yield return new ValidationResult($"{at}:DatasetNamespace must name a Hive dataset namespace (hive://...), not '{rule.DatasetNamespace}'.", [nameof(PinnedRules)]);
            }

            if (rule.DatasetName.Split('.') is not [{ Length: > 0 }, { Length: > 0 }])
            {
                yield return new ValidationResult($"{at}:DatasetName must be db.table, not '{rule.DatasetName}'.", [nameof(PinnedRules)]);
            }

            if (string.IsNullOrWhiteSpace(rule.Primary))
            {
                yield return new ValidationResult($"{at}:Primary is required (the datacenter the replicas copy from).", [nameof(PinnedRules)]);
            }

            if (rule.Targets.Count == 0 || rule.Targets.Any(string.IsNullOrWhiteSpace))
            {
                yield return new ValidationResult($"{at}:Targets must list at least one datacenter.", [nameof(PinnedRules)]);
            }

            if (rule.Priority is < 0 or > 10)
            {
                yield return new ValidationResult($"{at}:Priority must be 0..10, not {rule.Priority}.", [nameof(PinnedRules)]);
            }

            if (rule.Ttl < TimeSpan.Zero || rule.Ttl > TimeSpan.FromDays(3650))
            {
                yield return new ValidationResult($"{at}:Ttl must be from 00:00:00 (never) to 3650.00:00:00, not {rule.Ttl}.", [nameof(PinnedRules)]);
            }
        }
    }
}

/// <summary>One entry of <see cref="ReplicationOptions.PinnedRules"/>.</summary>
public sealed class PinnedRule
{
    /// <summary>OpenLineage dataset namespace, e.g. <c>hive://metastore</c>.</summary>
    public string DatasetNamespace { get; set; } = "hive://metastore";

    /// <summary><c>db.table</c>.</summary>
    public string DatasetName { get; set; } = string.Empty;

    /// <summary>The datacenter the replicas copy from, when the plan does not place the dataset.</summary>
    public string Primary { get; set; } = string.Empty;

    public IList<string> Targets { get; } = [];

    /// <summary>0..10, as the plan's rules (2 and above: High on the throttle).</summary>
    public int Priority { get; set; } = 1;

    /// <summary>This dataset's replicas expire this long after their last commit (overrides <c>ReplicaTtl</c>; 0: never).</summary>
    public TimeSpan? Ttl { get; set; }
}

/// <summary>How the replicator treats writes into ACID (transactional) tables.</summary>
public enum AcidTableMode
{
    /// <summary>The pump holds each ACID_WRITE until its COMMIT_TXN, then publishes it; an ABORT_TXN drops it.</summary>
    ReplicateAtCommit,

    /// <summary>Every ACID write on a ruled table is refused: dead-lettered with the reason, counted in status.</summary>
    Refuse,
}
