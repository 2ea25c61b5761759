namespace Unitization.DataManager.Placement;

/// <summary>Where a placement run is: its phase and the fraction done overall.</summary>
internal sealed record PlacementProgress(string Phase, double Fraction);
