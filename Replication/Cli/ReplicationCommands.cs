using System.CommandLine;

namespace Unitization.Replication.Cli;

/// <summary>The command-line verbs Replication contributes: <c>migrate</c>, and its benchmarks.</summary>
public static class ReplicationCommands
{
    public static IEnumerable<Command> Verbs()
    {
        var migrate = new Command("migrate", "Migrate a historical snapshot of a path to another datacenter, in batches, resumable.");
        migrate.SetAction(_ =>
        {
            Console.Error.WriteLine("unitization migrate: not built yet (issue #4).");
            return 2;
        });
        yield return migrate;
    }

    public static IEnumerable<Command> Benchmarks() => [];
}
