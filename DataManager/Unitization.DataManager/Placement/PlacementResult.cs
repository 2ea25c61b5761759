namespace Unitization.DataManager.Placement;

/// <summary>A computed placement with its figures, moves against the previous plan, and the baselines' figures.</summary>
internal sealed class PlacementResult
{
    public required PlacementProblem Problem { get; init; }

    public required int[] JobDatacenter { get; init; }

    public required int[] Primary { get; init; }

    /// <summary><c>[x * D + d]</c>: datacenter d holds a replica of dataset x.</summary>
    public required bool[] Replicas { get; init; }

    public required int Communities { get; init; }

    public required PlacementFigures Figures { get; init; }

    /// <summary>A proven lower bound on the cost of any balanced placement of the problem (bytes per day).</summary>
    public required double LowerBound { get; init; }

    public required ExactSummary Exact { get; init; }

    public required IReadOnlyList<JobMove> Moves { get; init; }

    /// <summary>Jobs hashed to datacenters by share (datasets then placed by the same primary and replica rules).</summary>
    public required PlacementFigures HashBaseline { get; init; }

    /// <summary>One datacenter per scheduler DAG, largest DAG first into the roomiest datacenter.</summary>
    public required PlacementFigures DagBaseline { get; init; }
}
