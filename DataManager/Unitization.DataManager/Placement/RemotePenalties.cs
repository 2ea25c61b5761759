using Google.OrTools.LinearSolver;

namespace Unitization.DataManager.Placement;

/// <summary>
/// The remote-bytes terms of the MILP (<see cref="ExactMilp"/>): a unit u
/// running in d reads or writes a dataset's bytes across the link unless d holds it. Per d, with a holding variable,
/// a continuous column <c>m >= a[u,d] - holds[d]</c> costing the bytes; where the dataset sits for sure (its pinned or
/// constant primary) nothing; elsewhere, with no holding variable, the bytes on <c>a[u,d]</c> itself (remote exactly
/// when u runs there).
/// </summary>
internal static class RemotePenalties
{
    /// <param name="solver">The program.</param>
    /// <param name="a">Unit-in-datacenter binaries.</param>
    /// <param name="unit">The row of <paramref name="a"/>.</param>
    /// <param name="weight">The bytes, in the objective's scale.</param>
    /// <param name="holds">Per datacenter: the variable saying it holds the dataset, or null where that is a constant.</param>
    /// <param name="held">The datacenter that holds it for sure (a pinned or constant primary), or -1.</param>
    /// <param name="hint">Adds a hint: the column and its value in the hinted placement.</param>
    /// <param name="remoteInHint">Per datacenter: whether the unit runs there in the hint and the dataset is not held there.</param>
    public static void Add(Solver solver, Variable[,] a, int unit, double weight, Variable?[] holds, int held,
        Action<Variable, double> hint, Func<int, bool> remoteInHint)
    {
        var objective = solver.Objective();
        for (var d = 0; d < holds.Length; d++)
        {
            if (holds[d] is not { } holding)
            {
                if (held != d)
                {
                    objective.SetCoefficient(a[unit, d], objective.GetCoefficient(a[unit, d]) + weight);
                }

                continue;
            }

            var penalty = solver.MakeNumVar(0, double.PositiveInfinity, string.Empty);
            objective.SetCoefficient(penalty, weight);
            var row = solver.MakeConstraint(0, double.PositiveInfinity);
            row.SetCoefficient(penalty, 1);
            row.SetCoefficient(a[unit, d], -1);
            row.SetCoefficient(holding, 1);
            hint(penalty, remoteInHint(d) ? 1 : 0);
        }
    }
}
