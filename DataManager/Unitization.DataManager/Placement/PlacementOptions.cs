namespace Unitization.DataManager.Placement;

/// <summary>How to place.</summary>
/// <param name="Seed">Leiden's and the solver's seed.</param>
/// <param name="MaxMoves">With a previous plan: at most this many jobs change datacenter.</param>
/// <param name="RefinementPasses">Passes of the move-based refinement after assignment.</param>
/// <param name="SolverSeconds">The exact phase's time limit in seconds, all solvers together (zero: heuristic only).</param>
/// <param name="ExactJobLimit">Up to this many jobs CP-SAT works on the problem itself; above, on its communities.</param>
/// <param name="MaxCoarseUnits">Above this many communities (split by datacenter) the solver is not run.</param>
/// <param name="HorizonDays">With a previous plan: a move must save its migration bytes within this many days.</param>
/// <param name="MaxMigrationBytesPerDay">With a previous plan: the most bytes one refresh's moves may copy.</param>
internal sealed record PlacementOptions(
    long Seed = 42,
    int MaxMoves = int.MaxValue,
    int RefinementPasses = 6,
    double SolverSeconds = 10,
    int ExactJobLimit = 5000,
    int MaxCoarseUnits = 4000,
    double HorizonDays = 30,
    double MaxMigrationBytesPerDay = double.PositiveInfinity);
