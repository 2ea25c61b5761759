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

    [Fact]
    public async Task Communities_NoValidEdge_ExitsOneAndWritesNothing()
    {
        var input = Path.Combine(_directory.Path, "edges.txt");
        var output = Path.Combine(_directory.Path, "communities.txt");
        await File.WriteAllTextAsync(input, "# only a comment\nnot an edge\n", TestContext.Current.CancellationToken);

        var exit = await new RootCommand { CommunitiesCommand.Create() }
            .Parse(["communities", "--edges", input, "--out", output])
            .InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        Assert.False(File.Exists(output));
    }
}
