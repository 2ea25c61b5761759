using System.CommandLine;
using Unitization.Analytics.Cli;
using Unitization.DataManager.Cli;
using Unitization.Replication.Cli;
using Unitization.Router.Cli;
using Unitization.Throttle.Cli;

namespace Unitization.Host.Cli;

/// <summary>The <c>unitization</c> command line: serve, the components' verbs, fs and bench.</summary>
public static class UnitizationCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Unitization: several datacenters as one logical offline data platform.");
        root.Subcommands.Add(ServeCommand.Create());
        foreach (var verb in DataManagerCommands.Verbs().Concat(ReplicationCommands.Verbs()).Concat(RouterCommands.Verbs()))
        {
            root.Subcommands.Add(verb);
        }

        root.Subcommands.Add(FsCommand.Create());

        var bench = new Command("bench", "Whole-system benchmarks; each prints ratios against a baseline run side by side.");
        foreach (var benchmark in DataManagerCommands.Benchmarks()
                     .Concat(ReplicationCommands.Benchmarks())
                     .Concat(SampleHms.Benchmarks.ReplicationLatencyBenchmark.Commands())
                     .Concat(RouterCommands.Benchmarks())
                     .Concat(ThrottleCommands.Benchmarks())
                     .Concat(AnalyticsCommands.Benchmarks()))
        {
            bench.Subcommands.Add(benchmark);
        }

        root.Subcommands.Add(bench);
        return root;
    }
}
