using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

public class CutBoundTests
{
    [Theory]
    [InlineData(51)]
    [InlineData(52)]
    [InlineData(53)]
    [InlineData(54)]
    public void LowerBound_TwoDatacentersOneWriterATable_IsTheLagrangianDualOfTheBalanceRows(int seed)
    {
        // one writer a table: the cut is the cost model exactly, so the bound is max over the price of
        // min over every placement (balanced or not) of cost + price * (load - capacity) on one side
        var problem = Pinned(TestProblems.Random(seed, jobs: 10, datasets: 6, datacenters: 2, eps: 0.05, singleWriters: true), seed);
        var lines = AllPlacements(problem).Select(a => (Cost: new PlacementState(problem, a).Cost().Total, LoadA: PlacementCost.Loads(problem, a)[0])).ToArray();
        var dual = Math.Max(
            MaxOfConcave(price => lines.Min(l => l.Cost + (price * (l.LoadA - problem.MostLoad(0))))),
            MaxOfConcave(price => lines.Min(l => l.Cost + (price * (problem.TotalLoad - l.LoadA - problem.MostLoad(1))))));

        var bound = new FlowNeighbourhood(problem).LowerBound(TestContext.Current.CancellationToken);

        Assert.True(dual > 0, "the pins should make the relaxation cost something");
        Assert.InRange(bound, dual * (1 - 1e-6), dual * (1 + 1e-6));
    }

    [Theory]
    [InlineData(61, 2)]
    [InlineData(62, 2)]
    [InlineData(63, 3)]
    [InlineData(64, 3)]
    [InlineData(65, 3)]
    public void Compute_SmallProblems_PositiveAndNeverAboveTheOptimum(int seed, int datacenters)
    {
        // several writers a table too (a rule the cut leaves out, which only lowers it), and pins
        var problem = Pinned(TestProblems.Random(seed, jobs: datacenters == 2 ? 12 : 8, datasets: 6, datacenters: datacenters, eps: 0.05), seed);
        var optimum = ExactPlacementTests.BruteForce(problem);

        var bound = CutBound.Compute(problem, TestContext.Current.CancellationToken);

        Assert.InRange(bound, optimum * 1e-3, optimum + 1e-6);
    }

    [Fact]
    public void Compute_ThreeDatacenters_HalfTheMergedBoundsWhenEachPaysOnlyInTwo()
    {
        // dcs 0, 1, 2 of equal share and no slack; each of three sources is pinned in its own datacenter and read by
        // two jobs of load 10 each: a placement keeps each pair together only if every datacenter takes one pair; any
        // split pays a copy; the merged problems (d against the other two) each see the three pairs
        var reads = new List<(int Job, int Dataset, double Bytes)>();
        for (var x = 0; x < 3; x++)
        {
            reads.Add((2 * x, x, 10));
            reads.Add((2 * x + 1, x, 10));
        }

        var problem = LineageProblems.Reads(reads, datacenters: 3, eps: 0);
        for (var x = 0; x < 3; x++)
        {
            problem.PinnedPrimary[x] = x;
        }

        Assert.Equal(0, ExactPlacementTests.BruteForce(problem), 6);
        Assert.Equal(0, CutBound.Compute(problem, TestContext.Current.CancellationToken), 6);

        // pinned all in dc0 instead: two of the three pairs must leave it, each pays one copy of 10
        for (var x = 0; x < 3; x++)
        {
            problem.PinnedPrimary[x] = 0;
        }

        var optimum = ExactPlacementTests.BruteForce(problem);
        var bound = CutBound.Compute(problem, TestContext.Current.CancellationToken);
        Assert.Equal(20, optimum, 6);
        Assert.InRange(bound, 1, optimum + 1e-6);
    }

    // every other table's primary pinned, alternating datacenters
    private static PlacementProblem Pinned(PlacementProblem problem, int seed)
    {
        for (var x = seed % 2; x < problem.DatasetCount; x += 2)
        {
            problem.PinnedPrimary[x] = x % problem.DatacenterCount;
        }

        return problem;
    }

    private static IEnumerable<int[]> AllPlacements(PlacementProblem problem)
    {
        var total = 1L << problem.JobCount;
        for (long code = 0; code < total; code++)
        {
            yield return [.. Enumerable.Range(0, problem.JobCount).Select(j => (int)((code >> j) & 1))];
        }
    }

    // the maximum over prices >= 0 of a concave function (ternary search, then the end at 0)
    private static double MaxOfConcave(Func<double, double> f)
    {
        double low = 0, high = 1e3;
        for (var i = 0; i < 300; i++)
        {
            var (m1, m2) = (low + ((high - low) / 3), high - ((high - low) / 3));
            if (f(m1) < f(m2))
            {
                low = m1;
            }
            else
            {
                high = m2;
            }
        }

        return Math.Max(f(0), f((low + high) / 2));
    }
}
