using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Plans;

/// <summary>What a plan is computed with, from the command line or from the service's options.</summary>
internal sealed record PlanSettings(
    IReadOnlyList<string> Datacenters,
    IReadOnlyList<double> Shares,
    double Eps,
    PlacementOptions Placement,
    IReadOnlyList<SourcePrimary> SourcePrimaries);
