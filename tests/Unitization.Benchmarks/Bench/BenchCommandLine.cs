using System.CommandLine;
using Unitization.Benchmarks.Bench.Analytics;
using Unitization.Benchmarks.Bench.DataManager;
using Unitization.Benchmarks.Bench.Fleet;
using Unitization.Benchmarks.Bench.Hdfs;
using Unitization.Benchmarks.Bench.Replication;
using Unitization.Benchmarks.Bench.Router;
using Unitization.Benchmarks.Bench.Throttle;

namespace Unitization.Benchmarks.Bench;

/// <summary>
/// <c>unitization bench ...</c>: the whole-system benchmarks, each printing ratios against a baseline run side by side.
/// They live here, beside the BenchmarkDotNet micro-benchmarks, so the shipped executable carries no lab equipment.
/// </summary>
internal static class BenchCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("unitization bench: whole-system benchmarks; each prints ratios against a baseline run side by side.");
        IEnumerable<Command> verbs =
        [
            BenchCommunitiesCommand.Create(),
            BenchPlaceCommand.Create(),
            .. ReplicationBenchmarks.Commands(),
            .. ReplicationLatencyBenchmark.Commands(),
            ResolveBenchmark.Create(),
            HttpResolveBenchmark.Create(),
            FleetRouterBenchmark.Create(),
            FleetReplicatorBenchmark.Create(),
            GatewayBenchmark.Create(),
            .. ThrottleBenchCommands.Benchmarks(),
            .. AnalyticsBenchCommands.Benchmarks(),
            HdfsEditsBenchmark.Create(),
            HdfsCopyBenchmark.Create(),
        ];
        foreach (var verb in verbs)
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }
}
