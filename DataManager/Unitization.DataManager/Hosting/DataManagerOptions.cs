using System.ComponentModel.DataAnnotations;
using Unitization.ApiClient.Failover;
using Unitization.DataManager.Lineage;
using Unitization.DataManager.Placement;
using Unitization.DataManager.Plans;

namespace Unitization.DataManager.Hosting;

/// <summary>Configuration section <c>DataManager</c>.</summary>
public sealed class DataManagerOptions : IValidatableObject
{
    public const string SectionName = "DataManager";

    private UrlList _routerUrls = [];

    /// <summary>The datacenters placement uses, with capacity shares and the YARN queue/label a scheduler tags jobs with.</summary>
    [MinLength(1, ErrorMessage = "At least one datacenter must be listed.")]
    public List<PlacementDatacenterOptions> Datacenters { get; set; } = [];

    /// <summary>Where jobs not in the plan run (default: the first datacenter).</summary>
    public string? DefaultDatacenter { get; set; }

    [Range(0.0, 10.0)]
    public double Eps { get; set; } = 0.1;

    /// <summary>The placement problem these datacenters, shares and eps pose over a lineage window.</summary>
    internal PlacementProblem Problem(LineageSnapshot lineage) =>
        new(lineage, [.. Datacenters.Select(d => d.Id)], [.. Datacenters.Select(d => d.Share)], Eps);

    [Range(1, 365)]
    public int WindowDays { get; set; } = 7;

    public long Seed { get; set; } = 42;

    /// <summary>At most this many jobs change datacenter per refresh.</summary>
    [Range(0, int.MaxValue)]
    public int MaxMoves { get; set; } = 1000;

    /// <summary>A refresh moves a job only if the bytes a day it saves repay its migration within this many days.</summary>
    [Range(1, 3650)]
    public double HorizonDays { get; set; } = 30;

    /// <summary>The most bytes one refresh's moves may copy (refreshes run daily); null: no limit.</summary>
    [Range(0, double.MaxValue)]
    public double? MaxMigrationBytesPerDay { get; set; }

    /// <summary>The exact phase's time limit per refresh, all solvers together, in seconds (0: heuristic placement only).</summary>
    [Range(0, 3600)]
    public double SolverSeconds { get; set; } = 10;

    /// <summary>Where datasets no lineage job writes are written (the metastore's loads): their primaries stay there.</summary>
    public List<SourcePrimary> SourcePrimaries { get; set; } = [];

    /// <summary>The plan settings these options give.</summary>
    internal PlanSettings Settings() => new(
        [.. Datacenters.Select(d => d.Id)], [.. Datacenters.Select(d => d.Share)], Eps,
        new PlacementOptions(Seed, MaxMoves, SolverSeconds: SolverSeconds, HorizonDays: HorizonDays,
            MaxMigrationBytesPerDay: MaxMigrationBytesPerDay ?? double.PositiveInfinity),
        SourcePrimaries);

    /// <summary>
    /// The routers whose version service answers readiness when this process has no router role (several: tried in
    /// turn, the last that answered first), as an array or one string separated by commas, as
    /// <c>Replication:RulesUrl</c> and <c>Throttle:ServiceUrl</c> take them. Empty with no router role in the process:
    /// readiness is unknown.
    /// </summary>
    public UrlList RouterUrls
    {
        get => _routerUrls;
        set => _routerUrls = value ?? []; // "RouterUrls": null in a JSON file
    }

    /// <summary>How long one router may take to answer a freshness question before the next is asked.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan RouterTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Quartz cron for the plan refresh (seconds first): default daily at 02:00.</summary>
    [Required(AllowEmptyStrings = false)]
    public string RefreshCron { get; set; } = "0 0 2 * * ?";

    /// <summary>Replication priority of a replica by the namespaces of the jobs that read it (first match wins).</summary>
    public List<Rules.ReaderPriority> ReaderPriorities { get; set; } = [];

    /// <summary>The priority of readers no <see cref="ReaderPriorities"/> entry names: Low, Normal or High.</summary>
    public string DefaultReaderPriority { get; set; } = "Normal";

    /// <summary>Apply every new plan's changes (bootstrap copies, mounts, primary moves, retirements) as soon as it is stored; off by default.</summary>
    public bool AutoApply { get; set; }

    /// <summary>How often a waiting readiness request re-checks when no change signal arrives.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ReadinessRecheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest <c>?waitSeconds=</c> a request may ask for.</summary>
    [Range(0, 86_400)]
    public int MaxWaitSeconds { get; set; } = 3600;

    /// <summary>The largest lineage POST body, after <c>Content-Encoding: gzip</c> is undone (413 beyond).</summary>
    [Range(1024, 1L << 34)]
    public long MaxLineageBodyBytes { get; set; } = 64L * 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Datacenters.Count; i++)
        {
            var dc = Datacenters[i];
            if (string.IsNullOrWhiteSpace(dc.Id))
            {
                yield return new ValidationResult("Id is required.", [$"Datacenters:{i}:Id"]);
            }
            else if (!seen.Add(dc.Id))
            {
                yield return new ValidationResult($"Datacenter '{dc.Id}' is listed twice.", [$"Datacenters:{i}:Id"]);
            }

            if (!(dc.Share > 0))
            {
                yield return new ValidationResult("Share must be a positive number.", [$"Datacenters:{i}:Share"]);
            }
        }

        for (var i = 0; i < SourcePrimaries.Count; i++)
        {
            if (!seen.Contains(SourcePrimaries[i].Datacenter))
            {
                yield return new ValidationResult($"'{SourcePrimaries[i].Datacenter}' is not one of Datacenters.", [$"SourcePrimaries:{i}:Datacenter"]);
            }

            if (string.IsNullOrWhiteSpace(SourcePrimaries[i].Namespace))
            {
                yield return new ValidationResult("Namespace is required (e.g. hive://metastore).", [$"SourcePrimaries:{i}:Namespace"]);
            }
        }

        for (var i = 0; i < ReaderPriorities.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(ReaderPriorities[i].JobNamespace))
            {
                yield return new ValidationResult("JobNamespace is required (a job namespace, or a prefix ending in *).", [$"ReaderPriorities:{i}:JobNamespace"]);
            }

            if (Rules.ReaderPriority.Parse(ReaderPriorities[i].Priority) < 0)
            {
                yield return new ValidationResult($"'{ReaderPriorities[i].Priority}' is not one of Low, Normal, High.", [$"ReaderPriorities:{i}:Priority"]);
            }
        }

        if (Rules.ReaderPriority.Parse(DefaultReaderPriority) < 0)
        {
            yield return new ValidationResult($"'{DefaultReaderPriority}' is not one of Low, Normal, High.", [nameof(DefaultReaderPriority)]);
        }

        if (DefaultDatacenter is not null && !seen.Contains(DefaultDatacenter))
        {
            yield return new ValidationResult($"'{DefaultDatacenter}' is not one of Datacenters.", [nameof(DefaultDatacenter)]);
        }

        if (!Quartz.CronExpression.TryParse(RefreshCron, out _))
        {
            yield return new ValidationResult($"'{RefreshCron}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 2 * * ?').", [nameof(RefreshCron)]);
        }
    }

    // empty with no datacenter listed: validation reads every property, and says what is missing instead of failing here
    public string DefaultDatacenterId => DefaultDatacenter ?? (Datacenters.Count > 0 ? Datacenters[0].Id : string.Empty);
}

/// <summary>One datacenter as placement sees it (section <c>DataManager:Datacenters:N</c>).</summary>
public sealed class PlacementDatacenterOptions
{
    public string Id { get; set; } = string.Empty;

    public double Share { get; set; } = 1;

    /// <summary>The YARN queue a scheduler submits this datacenter's jobs to.</summary>
    public string? Queue { get; set; }

    /// <summary>The YARN node label of this datacenter's nodes.</summary>
    public string? NodeLabel { get; set; }
}
