using System.CommandLine;

namespace Unitization.Router.Cli;

/// <summary>The command-line verbs Router contributes: <c>resolve</c>, and its benchmarks.</summary>
public static class RouterCommands
{
    public static IEnumerable<Command> Verbs()
    {
        var resolve = new Command("resolve", "Resolve a path for a client IP to the nearest fresh copy.");
        resolve.SetAction(_ =>
        {
            Console.Error.WriteLine("unitization resolve: not built yet (issue #5).");
            return 2;
        });
        yield return resolve;
    }

    public static IEnumerable<Command> Benchmarks() => [];
}
