using System.CommandLine;

namespace Unitization.DataManager.Cli;

/// <summary>The command-line verbs DataManager contributes: <c>place</c>, <c>communities</c>, and its benchmarks.</summary>
public static class DataManagerCommands
{
    public static IEnumerable<Command> Verbs()
    {
        var place = new Command("place", "Compute a placement plan from OpenLineage lineage (jobs and datasets to datacenters).");
        place.SetAction(_ => NotYet("place", 3));
        yield return place;

        var communities = new Command("communities", "Run Leiden community detection on a weighted edge list ('u v w' lines).");
        communities.SetAction(_ => NotYet("communities", 3));
        yield return communities;
    }

    public static IEnumerable<Command> Benchmarks() => [];

    private static int NotYet(string verb, int issue)
    {
        Console.Error.WriteLine($"unitization {verb}: not built yet (issue #{issue}).");
        return 2;
    }
}
