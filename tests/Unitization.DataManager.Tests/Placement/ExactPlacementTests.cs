using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

public class ExactPlacementTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 2)]
    public void Solve_SmallProblems_FindsTheBruteForceOptimumAndProvesIt(int seed, int datacenters)
    {
        var problem = TestProblems.Random(seed, jobs: datacenters == 2 ? 12 : 8, datasets: 7, datacenters: datacenters, eps: 0.3);
        var optimum = BruteForce(problem);
        var start = BalancedStart(problem);

        var outcome = ExactPlacement.Solve(problem, Identity(problem), problem.JobCount, start, TimeSpan.FromSeconds(20), seed, TestContext.Current.CancellationToken);

        Assert.True(outcome.Optimal, outcome.Status);
        var state = new PlacementState(problem, outcome.JobDatacenter!);
        Assert.True(PlacementCost.IsBalanced(problem, state.Load));
        Assert.Equal(optimum, state.Cost().Total, 6);
        Assert.InRange(outcome.LowerBound, optimum * (1 - 1e-6), optimum + 1e-6);
    }

    [Fact]
    public void Solve_PinnedPrimary_KeepsItAndStillMatchesBruteForce()
    {
        var problem = TestProblems.Random(7, jobs: 10, datasets: 6, datacenters: 2, eps: 0.3);
        for (var x = 0; x < problem.DatasetCount; x += 2)
        {
            problem.PinnedPrimary[x] = 1;
        }

        var optimum = BruteForce(problem);
        var outcome = ExactPlacement.Solve(problem, Identity(problem), problem.JobCount, BalancedStart(problem), TimeSpan.FromSeconds(20), 7, TestContext.Current.CancellationToken);

        var state = new PlacementState(problem, outcome.JobDatacenter!);
        Assert.Equal(optimum, state.Cost().Total, 6);
        Assert.All(Enumerable.Range(0, problem.DatasetCount).Where(x => x % 2 == 0), x => Assert.Equal(1, state.Primary[x]));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Place_SmallProblems_PlanIsOptimalAndItsBoundNeverAboveItsCost(int seed)
    {
        var problem = TestProblems.Random(seed, jobs: 10, datasets: 6, datacenters: 2, eps: 0.3);
        var optimum = BruteForce(problem);

        var result = PlacementEngine.Place(problem, new PlacementOptions(seed, SolverSeconds: 20), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(optimum, result.Figures.Cost.Total, 6);
        Assert.True(result.Exact.ProvenOptimal, result.Exact.Solver);
        Assert.Equal("scip", result.Exact.BoundSource);
        Assert.InRange(result.LowerBound, optimum * (1 - 1e-5), result.Figures.Cost.Total);
    }

    [Theory]
    [InlineData(21, 2)]
    [InlineData(22, 3)]
    public void Place_LargerProblems_BoundAtMostCostAndSolverNoWorseThanHeuristic(int seed, int datacenters)
    {
        var problem = TestProblems.Random(seed, jobs: 150, datasets: 90, datacenters: datacenters);
        var heuristic = PlacementEngine.Place(problem, new PlacementOptions(seed, SolverSeconds: 0), cancellationToken: TestContext.Current.CancellationToken);
        var solved = PlacementEngine.Place(problem, new PlacementOptions(seed, SolverSeconds: 1), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(solved.Figures.Cost.Total <= heuristic.Figures.Cost.Total + 1e-6);
        Assert.InRange(solved.LowerBound, 0, solved.Figures.Cost.Total);
        Assert.InRange(heuristic.LowerBound, 0, heuristic.Figures.Cost.Total);
        Assert.Equal("spread", heuristic.Exact.BoundSource);
    }

    [Fact]
    public void Place_ProgramTooLargeForScipsShare_SearchTakesTheTimeAndTheBoundIsTheSpreadBound()
    {
        // 150 jobs x 3 datacenters exceed what SCIP's root node does in half a second: the search gets SCIP's share
        var problem = TestProblems.Random(23, jobs: 150, datasets: 90, datacenters: 3);
        var heuristic = PlacementEngine.Place(problem, new PlacementOptions(23, SolverSeconds: 0), cancellationToken: TestContext.Current.CancellationToken);

        var solved = PlacementEngine.Place(problem, new PlacementOptions(23, SolverSeconds: 0.5), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Contains("scip skipped", solved.Exact.Solver, StringComparison.Ordinal);
        Assert.Equal("spread", solved.Exact.BoundSource);
        Assert.False(solved.Exact.ProvenOptimal);
        Assert.Equal(SpreadBound.Compute(problem), solved.LowerBound, 9);
        Assert.True(solved.Figures.Cost.Total <= heuristic.Figures.Cost.Total + 1e-6);
        Assert.True(PlacementCost.IsBalanced(problem, new PlacementState(problem, solved.JobDatacenter).Load));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    public void SpreadBound_SmallProblems_NeverAboveTheOptimum(int seed)
    {
        // few datasets read by most jobs and little slack: the bound has something to say
        var problem = TestProblems.Random(seed, jobs: 12, datasets: 3, datacenters: 2, eps: 0.05);
        var optimum = BruteForce(problem);

        var bound = SpreadBound.Compute(problem);

        Assert.InRange(bound, 0, optimum + 1e-6);
    }

    [Fact]
    public void SpreadBound_OneTableEveryJobReads_CountsTheReadsThatMustLeave()
    {
        // 4 jobs of equal load read one source; 2 datacenters 1:1, no slack: two jobs read it remotely, or one replica
        var problem = LineageProblems.Reads([(0, 0, 10), (1, 0, 10), (2, 0, 10), (3, 0, 10)], datacenters: 2, eps: 0);
        Assert.Equal(10, SpreadBound.Compute(problem), 6); // copy cost (the most one job reads) 10 < 20 read remotely
        Assert.Equal(10, BruteForce(problem), 6);
    }

    internal static double BruteForce(PlacementProblem problem)
    {
        var dcs = problem.DatacenterCount;
        var assignment = new int[problem.JobCount];
        var best = double.PositiveInfinity;
        var total = (long)Math.Pow(dcs, problem.JobCount);
        for (long code = 0; code < total; code++)
        {
            var rest = code;
            for (var j = 0; j < problem.JobCount; j++)
            {
                assignment[j] = (int)(rest % dcs);
                rest /= dcs;
            }

            if (!PlacementCost.IsBalanced(problem, PlacementCost.Loads(problem, assignment)))
            {
                continue;
            }

            // for a fixed job placement, the state's primaries (allowed ones, least cost) and replica rule are optimal
            best = Math.Min(best, new PlacementState(problem, (int[])assignment.Clone()).Cost().Total);
        }

        return best;
    }

    internal static int[] Identity(PlacementProblem problem) => [.. Enumerable.Range(0, problem.JobCount)];

    // any balanced placement: jobs largest first into the datacenter with most room left
    internal static int[] BalancedStart(PlacementProblem problem)
    {
        var room = (double[])problem.Capacity.Clone();
        var start = new int[problem.JobCount];
        foreach (var j in Enumerable.Range(0, problem.JobCount).OrderByDescending(j => problem.JobLoad[j]))
        {
            var d = Enumerable.Range(0, problem.DatacenterCount).MaxBy(d => room[d]);
            start[j] = d;
            room[d] -= problem.JobLoad[j];
        }

        return start;
    }
}
