using System.CommandLine;
using Unitization.DataManager.Cli;
using Unitization.TestUtils;

namespace Unitization.DataManager.Tests.Cli;

/// <summary><c>place</c> and <c>communities</c> fail, and write nothing, when their input holds nothing valid.</summary>
public sealed class CommandExitTests : IDisposable
{
    private readonly TempDirectory _directory = new("datamanager-cli");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("not json\n{\"eventType\":\"COMPLETE\"}\n")]
    public async Task Place_NothingValidRead_ExitsOneAndWritesNoPlan(string lineage)
    {
        var input = Path.Combine(_directory.Path, "lineage.jsonl");
        var output = Path.Combine(_directory.Path, "plan.json");
        await File.WriteAllTextAsync(input, lineage, TestContext.Current.CancellationToken);

        var exit = await new RootCommand { PlaceCommand.Create() }
            .Parse(["place", "--lineage", input, "--datacenters", "dcA=1,dcB=1", "--out", output])
            .InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Communities_NoValidEdge_ExitsOneAndWritesNothing(bool standalone)
    {
        // the unitization verb and the command line of unitization-communities (the Native AOT executable)
        var input = Path.Combine(_directory.Path, "edges.txt");
        var output = Path.Combine(_directory.Path, "communities.txt");
        await File.WriteAllTextAsync(input, "# only a comment\nnot an edge\n", TestContext.Current.CancellationToken);
        var command = standalone ? CommunitiesCommand.CreateRoot() : new RootCommand { CommunitiesCommand.Create() };
        string[] options = ["--edges", input, "--out", output];

        var exit = await command.Parse(standalone ? options : ["communities", .. options])
            .InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task CommunitiesRoot_TwoCliques_WritesWhatTheVerbWrites()
    {
        // two 4-cliques joined by one light edge, with a text label: the standalone executable's command line and the
        // unitization verb are one action
        var input = Path.Combine(_directory.Path, "edges.txt");
        var edges = new List<string>();
        foreach (var offset in (int[])[0, 4])
        {
            for (var u = 0; u < 4; u++)
            {
                for (var v = u + 1; v < 4; v++)
                {
                    edges.Add($"{offset + u} {offset + v} 5");
                }
            }
        }

        edges.Add("3 4 0.5");
        edges.Add("7 hub 2");
        await File.WriteAllLinesAsync(input, edges, TestContext.Current.CancellationToken);
        var verbOutput = Path.Combine(_directory.Path, "verb.txt");
        var rootOutput = Path.Combine(_directory.Path, "root.txt");

        var verbExit = await new RootCommand { CommunitiesCommand.Create() }
            .Parse(["communities", "--edges", input, "--out", verbOutput])
            .InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
        var rootExit = await CommunitiesCommand.CreateRoot()
            .Parse(["--edges", input, "--out", rootOutput])
            .InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal((0, 0), (verbExit, rootExit));
        var lines = await File.ReadAllLinesAsync(rootOutput, TestContext.Current.CancellationToken);
        Assert.Equal(await File.ReadAllLinesAsync(verbOutput, TestContext.Current.CancellationToken), lines);
        var community = lines.Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(9, community.Count);
        Assert.Single(new[] { "0", "1", "2", "3" }.Select(n => community[n]).Distinct());
        Assert.Single(new[] { "4", "5", "6", "7", "hub" }.Select(n => community[n]).Distinct());
        Assert.NotEqual(community["0"], community["4"]);
    }
}
