namespace Unitization.DataManager.Placement;

/// <summary>The figures of one placement: cross-datacenter bytes per day by kind, loads and balance.</summary>
internal sealed record PlacementFigures(PlacementCost Cost, double[] Loads, double Imbalance, bool Balanced);
