namespace Unitization.DataManager.Communities;

/// <summary>Settings of one Leiden run.</summary>
/// <param name="Resolution">The modularity resolution gamma (1 is Newman's modularity).</param>
/// <param name="Seed">Same seed, same graph: same partition, on any number of cores.</param>
/// <param name="Iterations">Leiden iterations; each starts from the previous partition. Stops early once nothing changes; a negative number iterates until then (as igraph's <c>n_iterations</c>).</param>
internal sealed record LeidenOptions(double Resolution = 1.0, long Seed = 0, int Iterations = 2)
{
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// An iteration after the first stops after its local moving on the full graph when that gained less modularity
    /// than this (the partition has settled); 0 runs every iteration through all its levels.
    /// </summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>
    /// Local moving on the full graph (the first level of an iteration, and <see cref="FinalMove"/>) stops after this
    /// many visits a node on average (0: only when no move gains). Single nodes gather into communities one at a time
    /// there, and on planted graphs with small groups that takes 4-5.5 visits a node: stopping it earlier lost up to
    /// 0.0015 modularity at 2,000 groups. <see cref="ParallelLocalMoving"/>'s lanes do not apply it.
    /// </summary>
    public int MaxVisitsPerNode { get; init; } = 6;

    /// <summary>
    /// Local moving on an aggregate level stops after this many visits a node on average (0: only when no move gains).
    /// There a node is a refined subset, and moving to convergence grows communities one subset at a time and ends in a
    /// worse optimum: on a 200k-node planted graph with 100 groups and 40 % of the weight between them, level 1 took 30
    /// visits a node and merged the groups three by three (modularity 0.552); stopped early, the next level merges whole
    /// subsets instead. 2 instead of 6 takes a quarter of the CPU off at 40 % / 100 groups (modularity 0.5904 -> 0.5957)
    /// and a tenth at 25 % / 100, but costs 0.0002-0.0004 at 25 % / 400 groups (level 1 there converges in 4.5 visits a
    /// node) and up to 0.0001 at 2,000 groups, over seeds 1-4 and 42, which puts it under igraph's there: 6 by default.
    /// </summary>
    public int MaxVisitsPerAggregateNode { get; init; } = 6;

    /// <summary>
    /// After the last iteration, when it went past its first level, one more local moving on the full graph from its
    /// partition (the first phase of a next iteration): the levels move whole subsets, which leaves single nodes a
    /// better community; this pass costs one visit a node or so and raised modularity by 0.001-0.009 on the 40 %-mixing
    /// planted graphs (a community it splits is split again into connected parts at the end). When that iteration's
    /// local moving on the full graph ran until no node was queued, this pass starts with only the nodes of the
    /// communities its levels changed and their neighbours queued (the others would stay, so the result is the same): on
    /// the planted graphs with 10 % mixing that is 4 % of the nodes at 100 groups, 24 % at 400.
    /// </summary>
    public bool FinalMove { get; init; } = true;

    /// <summary>
    /// Levels with at least this many nodes move them in <see cref="ParallelLocalMoving"/>'s lanes (both cores, same
    /// result on one); smaller levels move in one queue. A property of the run, not of the machine, so the partition
    /// for a seed does not depend on the core count. Off by default: the lanes cost about twice the CPU of one queue
    /// (their set-up, merges and the revisits of stale neighbours), which only pays on idle cores; on a shared machine
    /// (the 2-core hosts this runs on) one queue finishes first.
    /// </summary>
    public int LaneMinNodes { get; init; } = int.MaxValue;

    /// <summary>
    /// Whether the first iteration refines its communities when more iterations follow. Off by default: the first
    /// iteration then aggregates each level on its moved partition (Louvain's aggregation), and the iterations after it
    /// refine, so the communities returned are refined ones all the same (and split into connected parts at the end).
    /// The first iteration's communities are rough anyway: on the 200k-node planted graphs its levels end at modularity
    /// 0.41-0.90 and the second iteration's local moving on the full graph alone gains 0.00002-0.13. Without that
    /// refinement a run took 15-30 % less CPU, and its modularity after 2 iterations (mean over seeds 1-5 and 42) fell by
    /// at most 0.0006 (0.5974 against 0.5980 at 40 % mixing / 400 groups, where igraph's Leiden averages 0.5966 over seeds
    /// 1-5; 0.7455 against 0.7457 at 25 % / 400, igraph 0.7456). With one iteration it always refines.
    /// </summary>
    public bool RefineFirstIteration { get; init; }

    /// <summary>
    /// <see cref="MaxVisitsPerAggregateNode"/> for a first iteration that does not refine
    /// (<see cref="RefineFirstIteration"/>): its communities are rough, and the next iteration moves single nodes and
    /// refined subsets from them. On the 200k-node planted graphs 2 instead of 6 took a tenth off the CPU at 40 % mixing,
    /// and the mean modularity over seeds 1-5 and 42 moved by -0.00005 to +0.0001 (+0.002 at 40 % / 100 groups).
    /// </summary>
    public int FirstIterationMaxVisitsPerAggregateNode { get; init; } = 2;
}
