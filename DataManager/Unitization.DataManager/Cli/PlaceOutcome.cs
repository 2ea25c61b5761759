using Unitization.DataManager.Lineage;
using Unitization.DataManager.Plans;

namespace Unitization.DataManager.Cli;

/// <summary>What one <c>place</c> run produced (no plan when nothing valid was read), with the seconds each phase took (in order).</summary>
internal sealed record PlaceOutcome(PlacementPlan? Plan, LineageReadResult Read, double Seconds, IReadOnlyList<PlacePhase> Phases);
