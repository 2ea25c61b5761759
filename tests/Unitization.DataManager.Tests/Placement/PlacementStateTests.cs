using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

public class PlacementStateTests
{
    // bytes with fractions, so adding a job's bytes to a datacenter and taking them away again does not always give
    // back the same double (the residue a what-if must not leave)
    internal static PlacementProblem Fractional(int seed)
    {
        var lineage = TestProblems.Random(seed).Lineage;
        for (var e = 0; e < lineage.ReadBytesPerDay.Length; e++)
        {
            lineage.ReadBytesPerDay[e] *= 0.37;
        }

        for (var e = 0; e < lineage.WriteBytesPerDay.Length; e++)
        {
            lineage.WriteBytesPerDay[e] *= 0.13;
        }

        return new PlacementProblem(lineage, ["dc0", "dc1", "dc2"], [1.0, 2.0, 3.0], 0.1);
    }

    private static (double[] Read, double[] Written, double[] Load, int[] Jobs) Copy(PlacementState state) =>
        ([.. state.Read], [.. state.Written], [.. state.Load], [.. state.JobDatacenter]);

    private static bool BitIdentical(double[] a, double[] b) =>
        a.Length == b.Length && a.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(b.Select(BitConverter.DoubleToInt64Bits));

    [Fact]
    public void WhatIf_EveryJobEverywhere_LeavesTheStateBitIdentical()
    {
        var problem = Fractional(3);
        var state = new PlacementState(problem, [.. Enumerable.Range(0, problem.JobCount).Select(j => j % 3)]);
        var before = Copy(state);
        var cost = state.Cost();
        for (var j = 0; j < problem.JobCount; j++)
        {
            for (var d = 0; d < 3; d++)
            {
                var moved = state.WhatIf(j, d, () => (state.JobDatacenter[j], state.Cost()));
                Assert.Equal(d, moved.Item1);
            }
        }

        var after = Copy(state);
        Assert.True(BitIdentical(before.Read, after.Read), "bytes read changed");
        Assert.True(BitIdentical(before.Written, after.Written), "bytes written changed");
        Assert.True(BitIdentical(before.Load, after.Load), "loads changed");
        Assert.Equal(before.Jobs, after.Jobs);
        Assert.Equal(BitConverter.DoubleToInt64Bits(cost.Total), BitConverter.DoubleToInt64Bits(state.Cost().Total));
    }

    [Fact]
    public void WhatIf_AnswersAsTheMovedState()
    {
        var problem = Fractional(4);
        var state = new PlacementState(problem, new int[problem.JobCount]);
        var moved = new PlacementState(problem, new int[problem.JobCount]);
        moved.Move(5, 2);
        Assert.Equal(moved.Cost(), state.WhatIf(5, 2, state.Cost));
        Assert.Equal(moved.MoveDelta(5, 1), state.WhatIf(5, 2, () => state.MoveDelta(5, 1)));
    }

    [Fact]
    public void MoveAndBack_LeavesResidue_WhichWhatIfAvoids()
    {
        // the test data is sensitive: the old way (move there and back) changes some bytes in the last bits
        var problem = Fractional(3);
        var state = new PlacementState(problem, [.. Enumerable.Range(0, problem.JobCount).Select(j => j % 3)]);
        var before = Copy(state);
        for (var j = 0; j < problem.JobCount; j++)
        {
            var home = state.JobDatacenter[j];
            state.Move(j, (home + 1) % 3);
            state.Move(j, home);
        }

        Assert.False(BitIdentical(before.Read, state.Read) && BitIdentical(before.Written, state.Written) && BitIdentical(before.Load, state.Load));
    }
}
