using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Unitization.DataManager.Communities;

namespace Unitization.DataManager.Cli;

/// <summary>
/// <c>unitization communities --edges FILE --out FILE [--seed N] [--resolution G]</c>; the same options and action are
/// the root of <c>unitization-communities</c>, the Native AOT executable (infra/Unitization.Communities).
/// </summary>
internal static class CommunitiesCommand
{
    private const string Description = "Run Leiden community detection on a weighted edge list ('u v w' lines).";

    /// <summary>The <c>communities</c> verb of <c>unitization</c>.</summary>
    public static Command Create() => Configure(new Command("communities", Description));

    /// <summary>The verb as a whole command line: <c>unitization-communities --edges FILE --out FILE ...</c>.</summary>
    public static RootCommand CreateRoot() => Configure(new RootCommand(Description));

    private static T Configure<T>(T command)
        where T : Command
    {
        var edges = new Option<FileInfo>("--edges") { Description = "Edge list: 'u v w' lines, whitespace separated, '#' comments.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write 'node community' lines.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Random seed; the same seed gives the same partition.", DefaultValueFactory = _ => 42 };
        var resolution = new Option<double>("--resolution") { Description = "Modularity resolution (1 = Newman's modularity).", DefaultValueFactory = _ => 1.0 };
        var iterations = new Option<int>("--iterations") { Description = "Leiden iterations (stops early when nothing changes; negative: until nothing changes).", DefaultValueFactory = _ => 2 };
        foreach (var option in (Option[])[edges, output, seed, resolution, iterations])
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var input = parse.GetValue(edges)!;
            if (!input.Exists)
            {
                Console.Error.WriteLine($"--edges: {input.FullName} does not exist.");
                return 2;
            }

            if (parse.GetValue(resolution) is var gamma && !(gamma > 0))
            {
                Console.Error.WriteLine($"--resolution: must be positive, got {gamma}.");
                return 2;
            }

            var watch = Stopwatch.StartNew();
            var list = EdgeList.Read(input.FullName);
            var reading = watch.Elapsed.TotalSeconds;
            foreach (var error in list.Errors.Take(20))
            {
                Console.Error.WriteLine(error);
            }

            if (list.Errors.Count > 20)
            {
                Console.Error.WriteLine($"... and {list.Errors.Count - 20} more malformed lines");
            }

            var graph = list.ToGraph();
            var building = watch.Elapsed.TotalSeconds - reading;
            if (graph.EdgeCount == 0)
            {
                // nothing valid read: say so and fail, rather than write an empty partition
                Console.Error.WriteLine($"--edges: {input.FullName}: no valid 'u v w' edge ({list.Errors.Count} line(s) skipped); nothing written.");
                return 1;
            }

            var result = Leiden.Run(graph, new LeidenOptions(gamma, parse.GetValue(seed), parse.GetValue(iterations)));
            var seconds = watch.Elapsed.TotalSeconds - reading - building;
            list.WriteMembership(parse.GetValue(output)!.FullName, result.Membership);
            var writing = watch.Elapsed.TotalSeconds - reading - building - seconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"nodes {graph.NodeCount}, edges {graph.EdgeCount}, skipped lines {list.Errors.Count}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"communities {result.CommunityCount}, modularity {result.Modularity:F6}, seconds {seconds:F3}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seconds: reading {reading:F3}, graph {building:F3}, Leiden {seconds:F3}, writing {writing:F3}"));
            return 0;
        });
        return command;
    }
}
