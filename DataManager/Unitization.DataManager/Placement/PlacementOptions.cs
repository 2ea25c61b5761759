namespace Unitization.DataManager.Placement;

/// <summary>How to place.</summary>
/// <param name="Seed">Leiden's seed: the same lineage and seed give the same plan.</param>
/// <param name="MaxMoves">With a previous plan: at most this many jobs change datacenter.</param>
/// <param name="RefinementPasses">Passes of the move-based refinement after assignment.</param>
internal sealed record PlacementOptions(long Seed = 42, int MaxMoves = int.MaxValue, int RefinementPasses = 6);
