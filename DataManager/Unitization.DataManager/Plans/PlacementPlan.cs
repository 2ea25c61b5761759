using System.Text.Json;
using System.Text.Json.Serialization;

namespace Unitization.DataManager.Plans;

/// <summary>
/// The placement contract (ARCHITECTURE.md): datacenters, every job once with its datacenter, every dataset once
/// with its primary and replicas, a summary; plus the plan's version, the moves against the previous plan, and each
/// dataset's daily bytes (what a replica of it costs).
/// </summary>
internal sealed class PlacementPlan
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    public long Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<string> Datacenters { get; set; } = [];

    public List<PlanJob> Jobs { get; set; } = [];

    public List<PlanDataset> Datasets { get; set; } = [];

    public PlanSummary Summary { get; set; } = new();

    public List<PlanMove> Moves { get; set; } = [];
}

internal sealed record PlanJob(string Namespace, string Name, string Datacenter);

internal sealed record PlanDataset(string Namespace, string Name, string Primary, IReadOnlyList<string> Replicas, double DailyBytes);

internal sealed record PlanMove(string Namespace, string Name, string From, string To, double SavesBytesPerDay, double CopyBytes);

internal sealed record PlanFigures(
    double CrossDcBytesPerDay,
    double RemoteReadBytesPerDay,
    double RemoteWriteBytesPerDay,
    double ReplicationBytesPerDay,
    double Imbalance,
    bool Balanced,
    IReadOnlyDictionary<string, double> Loads);

internal sealed class PlanSummary
{
    public int Jobs { get; set; }

    public int Datasets { get; set; }

    public int Communities { get; set; }

    public int WindowDays { get; set; }

    public double Eps { get; set; }

    public double CrossDcBytesPerDay { get; set; }

    public double RemoteReadBytesPerDay { get; set; }

    public double RemoteWriteBytesPerDay { get; set; }

    public double ReplicationBytesPerDay { get; set; }

    public double Imbalance { get; set; }

    public bool Balanced { get; set; }

    public Dictionary<string, double> Loads { get; set; } = [];

    /// <summary>A proven lower bound on the cross-datacenter bytes per day of any balanced placement of this lineage.</summary>
    public double LowerBoundBytesPerDay { get; set; }

    /// <summary><c>(cost - bound) / cost</c>: the plan is at most this far above the optimum (0 when proven optimal).</summary>
    public double Gap { get; set; }

    /// <summary>Where the bound comes from: <c>scip</c> (its dual bound on the whole problem) or <c>spread</c> (datasets too big for one datacenter); <c>cp-sat</c> in plans made before.</summary>
    public string BoundSource { get; set; } = string.Empty;

    /// <summary>The exact phase: the solver's status and what it solved (jobs, or N communities), or why it did not run.</summary>
    public string Solver { get; set; } = string.Empty;

    public int MovedJobs { get; set; }

    public double Seconds { get; set; }

    public Dictionary<string, PlanFigures> Baselines { get; set; } = [];
}
