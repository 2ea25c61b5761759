using Unitization.DataManager.Communities;

namespace Unitization.DataManager.Tests.Communities;

public class LeidenTests
{
    // 6,000 nodes in 20 groups, 40 % of the edges between them: where the levels and the final move have work to do
    private static CsrGraph Mixed()
    {
        var (from, to, weight) = PlantedPartition.Generate(6000, 30000, 20, 0.6, 9);
        return CsrGraph.FromEdges(6000, from, to, weight);
    }

    private static CsrGraph Planted(int nodes = 3000, int edges = 15000, int groups = 30, long seed = 1)
    {
        var (from, to, weight) = PlantedPartition.Generate(nodes, edges, groups, 0.85, seed);
        return CsrGraph.FromEdges(nodes, from, to, weight);
    }

    [Fact]
    public void Run_TwoTriangles_FindsTheTriangles()
    {
        var graph = CsrGraph.FromEdges(6, [0, 1, 0, 3, 4, 3, 2], [1, 2, 2, 4, 5, 5, 3], [1, 1, 1, 1, 1, 1, 1]);
        var result = Leiden.Run(graph, new LeidenOptions(Seed: 3));
        Assert.Equal(2, result.CommunityCount);
        Assert.Equal([0, 0, 0, 1, 1, 1], result.Membership);
        Assert.Equal(5.0 / 14, result.Modularity, 12);
    }

    [Fact]
    public void Run_PlantedPartition_EveryCommunityIsConnected()
    {
        var graph = Planted();
        var result = Leiden.Run(graph, new LeidenOptions(Seed: 7));
        var membership = result.Membership;
        for (var c = 0; c < result.CommunityCount; c++)
        {
            var members = Enumerable.Range(0, graph.NodeCount).Where(v => membership[v] == c).ToList();
            Assert.NotEmpty(members);
            var seen = new HashSet<int> { members[0] };
            var stack = new Stack<int>([members[0]]);
            while (stack.Count > 0)
            {
                var v = stack.Pop();
                for (var e = graph.Offsets[v]; e < graph.Offsets[v + 1]; e++)
                {
                    var t = graph.Targets[e];
                    if (membership[t] == c && seen.Add(t))
                    {
                        stack.Push(t);
                    }
                }
            }

            Assert.True(seen.Count == members.Count, $"community {c} has {members.Count} nodes but only {seen.Count} are connected");
        }
    }

    [Fact]
    public void Run_PlantedPartition_ReachesThePlantedModularity()
    {
        var graph = Planted();
        var planted = Enumerable.Range(0, graph.NodeCount).Select(v => v / 100).ToArray();
        var result = Leiden.Run(graph, new LeidenOptions(Seed: 11));
        Assert.True(result.Modularity >= Modularity.Compute(graph, planted) - 0.005,
            $"Leiden {result.Modularity:F4} vs planted {Modularity.Compute(graph, planted):F4}");
        Assert.Equal(Modularity.Compute(graph, result.Membership), result.Modularity, 12);
    }

    [Fact]
    public void SplitDisconnected_CommunityInTwoPieces_SplitsItAndScoresTheSplitAsModularityDoes()
    {
        // two triangles joined by the edge 2-3, a loop on 0; community 0 holds the first triangle and node 5
        var graph = CsrGraph.FromEdges(6, [0, 1, 0, 3, 4, 3, 2, 0], [1, 2, 2, 4, 5, 5, 3, 0], [1, 2, 1, 1, 3, 1, 0.5, 2]);
        var membership = new[] { 0, 0, 0, 1, 1, 0 };
        var count = Leiden.SplitDisconnected(graph, membership, 0.8, out var modularity);
        Assert.Equal(3, count);
        Assert.Equal([0, 0, 0, 1, 1, 2], membership);
        Assert.Equal(Modularity.Compute(graph, membership, 0.8), modularity);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SplitDisconnected_RandomCommunities_GivesTheComponentsNumberedByLowestNode(int seed)
    {
        // a sparse graph (mean degree 3) cut into 12 random communities: most fall apart into many pieces, each found
        // by a breadth-first search over the edges inside its community, numbered in order of its lowest node
        var random = new Random(seed);
        const int n = 600;
        var from = Enumerable.Range(0, 900).Select(_ => random.Next(n)).ToArray();
        var to = Enumerable.Range(0, 900).Select(_ => random.Next(n)).ToArray();
        var graph = CsrGraph.FromEdges(n, from, to, Enumerable.Range(0, 900).Select(_ => 1 + random.NextDouble()).ToArray());
        var original = Enumerable.Range(0, n).Select(_ => random.Next(12)).ToArray();
        var expected = Enumerable.Repeat(-1, n).ToArray();
        var components = 0;
        for (var s = 0; s < n; s++)
        {
            if (expected[s] >= 0)
            {
                continue;
            }

            var queue = new Queue<int>([s]);
            expected[s] = components;
            while (queue.TryDequeue(out var v))
            {
                for (var e = graph.Offsets[v]; e < graph.Offsets[v + 1]; e++)
                {
                    var t = graph.Targets[e];
                    if (original[t] == original[v] && expected[t] < 0)
                    {
                        expected[t] = components;
                        queue.Enqueue(t);
                    }
                }
            }

            components++;
        }

        var membership = (int[])original.Clone();
        var count = Leiden.SplitDisconnected(graph, membership, 1.0, out var modularity);
        Assert.True(components > 12, $"only {components} components: the case does not split communities");
        Assert.Equal(components, count);
        Assert.Equal(expected, membership);
        Assert.Equal(Modularity.Compute(graph, membership), modularity, 12);
    }

    [Fact]
    public void Run_SameSeed_SameMembershipOnOneOrTwoCores()
    {
        var graph = Planted(seed: 5);
        var one = Leiden.Run(graph, new LeidenOptions(Seed: 42) { MaxDegreeOfParallelism = 1 });
        var two = Leiden.Run(graph, new LeidenOptions(Seed: 42) { MaxDegreeOfParallelism = 2 });
        var again = Leiden.Run(graph, new LeidenOptions(Seed: 42) { MaxDegreeOfParallelism = 2 });
        Assert.Equal(one.Membership, two.Membership);
        Assert.Equal(two.Membership, again.Membership);
    }

    [Fact]
    public void FastLocalMoving_ReturnsTheModularityItGained()
    {
        var graph = Planted(seed: 9);
        var partition = Enumerable.Range(0, graph.NodeCount).ToArray();
        var before = Modularity.Compute(graph, partition);
        var gain = FastLocalMoving.Run(graph, partition, 1.0, SplitMix64.For(3, 0, 0));
        Leiden.Renumber(partition);
        Assert.Equal(Modularity.Compute(graph, partition) - before, gain, 9);
        Assert.True(gain > 0);
    }

    [Fact]
    public void FastLocalMoving_WithMargins_ReturnsTheModularityItGainedAndMatchesThePlainQueue()
    {
        // an aggregate-like start: nodes paired, as refined subsets start an aggregate level in their communities
        var graph = Planted(seed: 9);
        var start = Enumerable.Range(0, graph.NodeCount).Select(v => v / 2).ToArray();
        var before = Modularity.Compute(graph, start);
        var plain = (int[])start.Clone();
        FastLocalMoving.Run(graph, plain, 1.0, SplitMix64.For(3, 0, 0));
        var partition = (int[])start.Clone();

        var gain = FastLocalMoving.Run(graph, partition, 1.0, SplitMix64.For(3, 0, 0), margins: true);

        var after = Modularity.Compute(graph, partition);
        Assert.Equal(after - before, gain, 9);
        Assert.True(after >= Modularity.Compute(graph, plain) - 0.01);
    }

    [Fact]
    public void FastLocalMoving_Converged_OnlyWhenTheQueueEmptiedBeforeTheVisitLimit()
    {
        var graph = Planted(seed: 5);
        var free = Enumerable.Range(0, graph.NodeCount).ToArray();
        var capped = (int[])free.Clone();

        FastLocalMoving.Run(graph, free, 1.0, SplitMix64.For(1, 0, -1), maxVisitsPerNode: 0, margins: false, only: null, out var freeConverged);
        FastLocalMoving.Run(graph, capped, 1.0, SplitMix64.For(1, 0, -1), maxVisitsPerNode: 1, margins: false, only: null, out var cappedConverged);
        var gainAfter = FastLocalMoving.Run(graph, free, 1.0, SplitMix64.For(2, 0, -1), maxVisitsPerNode: 0, margins: false, only: new bool[graph.NodeCount], out var emptyConverged);

        Assert.True(freeConverged);
        Assert.False(cappedConverged); // from singletons, one visit a node leaves the neighbours of moved nodes queued
        Assert.True(emptyConverged);
        Assert.Equal(0, gainAfter); // nothing queued: nothing visited
    }

    [Fact]
    public void FastLocalMoving_BestCommunity_RunnerUpIsNeverBelowAnEmptyCommunity()
    {
        // node 0 alone in community 0, its only neighbour in a community too heavy to join: staying (0) is best, and
        // the runner-up is the empty community's 0, above joining's negative gain
        int[] targets = [1];
        double[] weights = [1.0];
        int[] partition = [0, 1];
        var communities = new CommunityScore[2];
        (communities[0].Total, communities[1].Total) = (1, 100);

        var best = FastLocalMoving.BestCommunity(targets, weights, partition, communities, new int[2], own: 0, kv: 1, ks: 0.1, out var stay, out _, out var runnerUp);

        Assert.Equal(0, best);
        Assert.Equal(0, stay, 12);
        Assert.Equal(0, runnerUp, 12);
    }

    [Fact]
    public void FastLocalMoving_BestCommunity_ScoresStayingFromTheOwnSumAndLeavesEveryWeightZero()
    {
        // node 0 (community 0, degree 7.5) has edges to 1 (its own community), 2 and 3 (community 1), 4 (community 2)
        int[] targets = [1, 2, 3, 4];
        double[] weights = [2.0, 1.0, 1.5, 3.0];
        int[] partition = [0, 0, 1, 1, 2];
        var touched = new int[5];
        var communities = new CommunityScore[5];
        (communities[0].Total, communities[1].Total, communities[2].Total) = (10, 4, 20);

        var best = FastLocalMoving.BestCommunity(targets, weights, partition, communities, touched, own: 0, kv: 7.5, ks: 0.1, out var stay, out var gain, out var runnerUp);

        Assert.Equal(1, best); // 2.5 - 0.1 * 4 beats staying (2 - 0.1 * (10 - 7.5)) and community 2 (3 - 0.1 * 20)
        Assert.Equal(2.0 - (0.1 * 2.5), stay, 12);
        Assert.Equal(2.5 - (0.1 * 4), gain, 12);
        Assert.Equal(stay, runnerUp, 12); // staying is second
        Assert.All(communities, c => Assert.Equal(0, c.Weight));

        (communities[0].Total, communities[1].Total) = (7.5, 10);
        best = FastLocalMoving.BestCommunity(targets, weights, partition, communities, touched, own: 0, kv: 7.5, ks: 0.1, out stay, out gain, out runnerUp);

        Assert.Equal(0, best); // alone in its community, staying gains 2: more than 2.5 - 1 and 3 - 2
        Assert.Equal(2.0, stay, 12);
        Assert.Equal(stay, gain);
        Assert.Equal(2.5 - (0.1 * 10), runnerUp, 12); // community 1 is second
        Assert.All(communities, c => Assert.Equal(0, c.Weight));
    }

    [Fact]
    public void Run_InLanes_SameMembershipOnOneOrTwoCores()
    {
        var graph = Planted(seed: 13);
        var one = Leiden.Run(graph, new LeidenOptions(Seed: 8) { LaneMinNodes = 1000, MaxDegreeOfParallelism = 1 });
        var two = Leiden.Run(graph, new LeidenOptions(Seed: 8) { LaneMinNodes = 1000, MaxDegreeOfParallelism = 2 });
        var again = Leiden.Run(graph, new LeidenOptions(Seed: 8) { LaneMinNodes = 1000, MaxDegreeOfParallelism = 2 });
        Assert.Equal(one.Membership, two.Membership);
        Assert.Equal(two.Membership, again.Membership);
        Assert.Equal(one.Modularity, two.Modularity);
    }

    [Fact]
    public void Run_InLanes_EveryCommunityIsConnectedAndModularityHolds()
    {
        var graph = Planted(seed: 17);
        var lanes = Leiden.Run(graph, new LeidenOptions(Seed: 4) { LaneMinNodes = 1000 });
        var queue = Leiden.Run(graph, new LeidenOptions(Seed: 4) { LaneMinNodes = int.MaxValue });
        Assert.Equal(lanes.CommunityCount, Leiden.SplitDisconnected(graph, (int[])lanes.Membership.Clone()));
        Assert.True(lanes.Modularity >= queue.Modularity - 0.005, $"lanes {lanes.Modularity:F4} vs one queue {queue.Modularity:F4}");
        Assert.Equal(Modularity.Compute(graph, lanes.Membership), lanes.Modularity, 12);
    }

    [Fact]
    public void ParallelLocalMoving_SamePartitionOnOneOrTwoCores_AsGoodAsOneQueue()
    {
        var graph = Planted(seed: 19);
        var one = Enumerable.Range(0, graph.NodeCount).ToArray();
        var two = (int[])one.Clone();
        var queue = (int[])one.Clone();
        ParallelLocalMoving.Run(graph, one, 1.0, SplitMix64.For(3, 0, 0), parallelism: 1);
        ParallelLocalMoving.Run(graph, two, 1.0, SplitMix64.For(3, 0, 0), parallelism: 2);
        FastLocalMoving.Run(graph, queue, 1.0, SplitMix64.For(3, 0, 0));
        Assert.Equal(one, two);
        Assert.True(Modularity.Compute(graph, one) >= Modularity.Compute(graph, queue) - 0.01,
            $"lanes {Modularity.Compute(graph, one):F4} vs one queue {Modularity.Compute(graph, queue):F4}");
    }

    [Fact]
    public void Run_InLanes_BipartiteGraph_Finishes()
    {
        // jobs and datasets: every edge joins the two halves, i.e. the two lanes, whose moves see each other a step
        // late and can swap nodes back and forth; one queue takes over after MaxEpochs
        const int half = 2000;
        var random = SplitMix64.For(5, 0, 0);
        var from = new List<int>();
        var to = new List<int>();
        var weight = new List<double>();
        for (var j = 0; j < half; j++)
        {
            for (var r = 0; r < 4; r++)
            {
                from.Add(j);
                to.Add(half + ((j / 10 * 10) + random.Next(10)) % half);
                weight.Add(1 + random.Next(5));
            }
        }

        var graph = CsrGraph.FromEdges(2 * half, [.. from], [.. to], [.. weight]);
        var result = Leiden.Run(graph, new LeidenOptions(Seed: 1) { LaneMinNodes = 100 });
        Assert.Equal(result.CommunityCount, Leiden.SplitDisconnected(graph, (int[])result.Membership.Clone()));
        Assert.True(result.Modularity > 0.5, $"modularity {result.Modularity:F4}");
    }

    [Fact]
    public void Run_WithoutTolerance_RunsEveryLevelAndStaysConnected()
    {
        var graph = Planted(seed: 3);
        var full = Leiden.Run(graph, new LeidenOptions(Seed: 2, Iterations: 3) { Tolerance = 0 });
        var settled = Leiden.Run(graph, new LeidenOptions(Seed: 2, Iterations: 3));
        Assert.Equal(full.CommunityCount, Leiden.SplitDisconnected(graph, (int[])full.Membership.Clone()));
        Assert.Equal(settled.CommunityCount, Leiden.SplitDisconnected(graph, (int[])settled.Membership.Clone()));
        Assert.True(settled.Modularity >= full.Modularity - 0.005, $"settled {settled.Modularity:F4} vs full {full.Modularity:F4}");
    }

    [Fact]
    public void FastLocalMoving_VisitLimit_StopsBeforeConvergence()
    {
        var (from, to, weight) = PlantedPartition.Generate(3000, 15000, 30, 0.6, 5);
        var graph = CsrGraph.FromEdges(3000, from, to, weight);
        var capped = Enumerable.Range(0, graph.NodeCount).ToArray();
        var converged = (int[])capped.Clone();
        var cappedGain = FastLocalMoving.Run(graph, capped, 1.0, SplitMix64.For(1, 0, -1), maxVisitsPerNode: 1);
        FastLocalMoving.Run(graph, converged, 1.0, SplitMix64.For(1, 0, -1));

        // one visit a node from singletons leaves much to gain; moving until the queue empties leaves little (only
        // what community totals changed by non-neighbours make worth a move)
        Assert.Equal(Modularity.Compute(graph, capped) - Modularity.Compute(graph, Enumerable.Range(0, graph.NodeCount).ToArray()), cappedGain, 9);
        var afterCapped = FastLocalMoving.Run(graph, capped, 1.0, SplitMix64.For(2, 0, -1));
        var afterConverged = FastLocalMoving.Run(graph, converged, 1.0, SplitMix64.For(2, 0, -1));
        Assert.True(afterCapped > 10 * afterConverged, $"gained after one visit a node {afterCapped:F5}, after convergence {afterConverged:F5}");
    }

    [Fact]
    public void Run_FinalMove_RaisesModularityAndStaysConnected()
    {
        var graph = Mixed();
        var without = Leiden.Run(graph, new LeidenOptions(Seed: 4) { FinalMove = false });
        var with = Leiden.Run(graph, new LeidenOptions(Seed: 4));
        Assert.True(with.Modularity >= without.Modularity, $"with the final move {with.Modularity:F5}, without {without.Modularity:F5}");
        Assert.Equal(with.CommunityCount, Leiden.SplitDisconnected(graph, (int[])with.Membership.Clone()));
        Assert.Equal(Modularity.Compute(graph, with.Membership), with.Modularity, 12);
    }

    [Fact]
    public void Run_FirstIterationUnrefined_StaysConnectedAndAsGoodAsRefiningIt()
    {
        var graph = Mixed();
        var unrefined = Leiden.Run(graph, new LeidenOptions(Seed: 4));
        var refined = Leiden.Run(graph, new LeidenOptions(Seed: 4) { RefineFirstIteration = true });
        Assert.NotEqual(refined.Membership, unrefined.Membership); // the option takes effect
        Assert.True(unrefined.Modularity >= refined.Modularity - 0.002, $"unrefined first iteration {unrefined.Modularity:F5}, refined {refined.Modularity:F5}");
        Assert.Equal(unrefined.CommunityCount, Leiden.SplitDisconnected(graph, (int[])unrefined.Membership.Clone()));
        Assert.Equal(Modularity.Compute(graph, unrefined.Membership), unrefined.Modularity, 12);
    }

    [Fact]
    public void Run_OneIteration_AlwaysRefines()
    {
        var graph = Mixed();
        var one = Leiden.Run(graph, new LeidenOptions(Seed: 4, Iterations: 1));
        var refined = Leiden.Run(graph, new LeidenOptions(Seed: 4, Iterations: 1) { RefineFirstIteration = true });
        Assert.Equal(refined.Membership, one.Membership);
    }

    [Fact]
    public void Run_EmptyGraph_GivesSingletons()
    {
        var graph = CsrGraph.FromEdges(3, [], [], []);
        var result = Leiden.Run(graph, new LeidenOptions());
        Assert.Equal(3, result.CommunityCount);
    }

    [Fact]
    public void CsrGraph_FromEdges_SortsRowsAndMergesParallelEdges()
    {
        // (1,0) and (0,1) are one edge of weight 3; (2,2) a self-loop; rows come out sorted whatever the input order
        var graph = CsrGraph.FromEdges(4, [3, 1, 0, 2, 0, 3], [0, 0, 1, 2, 3, 1], [1, 1, 2, 5, 4, 0.5]);
        Assert.Equal([0, 2, 4, 4, 6], graph.Offsets);
        Assert.Equal([1, 3, 0, 3, 0, 1], graph.Targets);
        Assert.Equal([3, 5, 3, 0.5, 5, 0.5], graph.Weights);
        Assert.Equal([0, 0, 10, 0], graph.SelfLoops);
        Assert.Equal([8, 3.5, 10, 5.5], graph.Degrees);
        Assert.Equal(3, graph.EdgeCount);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("0.1")]
    [InlineData("7")]
    [InlineData("007.250")]
    [InlineData(".3")]
    [InlineData("5.")]
    [InlineData("123456789.012345")]
    [InlineData("1234567890.123456")]
    [InlineData("2.2250738585072014")]
    [InlineData("1e-3")]
    public void EdgeList_Weight_ReadAsDoubleParseReadsIt(string weight)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, $"0\t1  {weight}\r\n1 2 {weight}\n");
            var list = EdgeList.Read(path);
            Assert.Empty(list.Errors);
            var expected = double.Parse(weight, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal([expected, expected], list.Weights);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EdgeList_LinesAcrossReadBlocks_ReadWhole()
    {
        // 20-byte lines: the 4 MiB read blocks end inside line 209,716 (in its first label) and line 419,431 (in its
        // second); the last line has no newline
        var path = Path.GetTempFileName();
        try
        {
            const int lines = 420_000;
            var text = new System.Text.StringBuilder(lines * 20);
            for (var i = 0; i < lines; i++)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{1_000_000 + i} {1_000_001 + i} {1 + (i % 9)}.5\n");
            }

            File.WriteAllText(path, text.ToString(0, text.Length - 1));
            var list = EdgeList.Read(path);
            Assert.Empty(list.Errors);
            Assert.Equal(lines, list.From.Count);
            Assert.Equal(lines + 1, list.LabelCount);
            Assert.Equal(Enumerable.Range(0, lines), list.From);
            Assert.Equal(Enumerable.Range(1, lines), list.To);
            Assert.Equal(Enumerable.Range(0, lines).Select(i => 1.5 + (i % 9)), list.Weights);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EdgeList_BadWeightBetweenGoodLines_NamesTheLine()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["0 1 2.5", "1 2 -1", "2 3 1.5.1", "3 4 0.25"]);
            var list = EdgeList.Read(path);
            Assert.Equal([0, 2], list.From); // labels 0, 1, 3, 4 (2 only on a skipped line)
            Assert.Equal([2.5, 0.25], list.Weights);
            Assert.Equal(2, list.Errors.Count);
            Assert.EndsWith(":2: weight '-1' is not a finite number >= 0", list.Errors[0], StringComparison.Ordinal);
            Assert.EndsWith(":3: weight '1.5.1' is not a finite number >= 0", list.Errors[1], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EdgeList_MalformedLines_AreReportedByLineAndSkipped()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["# comment", "a b 2", "a", "b c x", "c d", "d a 1.5 # trailing"]);
            var list = EdgeList.Read(path);
            Assert.Equal(3, list.From.Count);
            Assert.Equal(2, list.Errors.Count);
            Assert.Contains(":3:", list.Errors[0], StringComparison.Ordinal);
            Assert.Contains(":4: weight 'x'", list.Errors[1], StringComparison.Ordinal);
            Assert.Equal(["a", "b", "c", "d"], list.Labels);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EdgeList_NumericAndTextLabels_NumbersByValueThenFirstAppearance()
    {
        var path = Path.GetTempFileName();
        var output = Path.GetTempFileName();
        try
        {
            // "07" is not "7": only canonical decimals are numbered by value (then the others, as they appear, a number
            // too large for the dense table among them); CRLF line ends; no newline at the end
            File.WriteAllText(path, "10 7 1\r\n07 x\t2.5\r\n7 10 1e0\n\n  x   10 3\n99999999999 10");
            var list = EdgeList.Read(path);
            Assert.Empty(list.Errors);
            Assert.Equal(["7", "10", "07", "x", "99999999999"], list.Labels);
            Assert.Equal([1, 2, 0, 3, 4], list.From);
            Assert.Equal([0, 3, 1, 1, 1], list.To);
            Assert.Equal([1, 2.5, 1, 3, 1], list.Weights);
            list.WriteMembership(output, [5, 6, 7, 8, 9]);
            Assert.Equal(["7 5", "10 6", "07 7", "x 8", "99999999999 9"], File.ReadAllLines(output));
        }
        finally
        {
            File.Delete(path);
            File.Delete(output);
        }
    }
}
