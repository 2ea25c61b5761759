using System.CommandLine;
using Unitization.DataManager.Cli;
using Unitization.Hdfs.Cli;
using Unitization.Hdfs.Hosting;
using Unitization.Replication.Cli;
using Unitization.Router.Cli;

namespace Unitization.Host.Cli;

/// <summary>The <c>unitization</c> command line: serve, the components' verbs and fs (the <c>bench</c> verbs are the benchmark executable's, tests/Unitization.Benchmarks).</summary>
public static class UnitizationCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Unitization: several datacenters as one logical offline data platform.");
        root.Subcommands.Add(ServeCommand.Create());
        foreach (var verb in DataManagerCommands.Verbs().Concat(ReplicationCommands.Verbs(services => services.AddHdfsNamespaces())).Concat(RouterCommands.Verbs()))
        {
            root.Subcommands.Add(verb);
        }

        root.Subcommands.Add(FsCommand.Create());
        root.Subcommands.Add(HdfsCommand.Create());
        root.Subcommands.Add(TokensCommand.Create());

        return root;
    }
}
