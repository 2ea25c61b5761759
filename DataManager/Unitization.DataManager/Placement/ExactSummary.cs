namespace Unitization.DataManager.Placement;

/// <summary>
/// How the exact phase went: the solver's status and what it worked on, where the lower bound comes from
/// (<c>scip</c>: its proof on the problem itself; <c>cuts</c>: <see cref="CutBound"/>; <c>spread</c>:
/// <see cref="SpreadBound"/>), and whether
/// the placement was proven optimal.
/// </summary>
internal sealed record ExactSummary(string Solver, string BoundSource, bool ProvenOptimal);
