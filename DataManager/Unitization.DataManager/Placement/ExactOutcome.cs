namespace Unitization.DataManager.Placement;

/// <summary>
/// What the exact solver returned: the best job placement it found (null when it found none in time), a proven lower
/// bound on the cost of the problem it solved, whether it proved that placement optimal, the solver's status, and the
/// solver's own objective value of that placement in bytes per day (NaN when the solver does not report it).
/// </summary>
internal sealed record ExactOutcome(int[]? JobDatacenter, double LowerBound, bool Optimal, string Status, double Objective = double.NaN);
