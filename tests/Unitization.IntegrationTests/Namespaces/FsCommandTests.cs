using Unitization.IntegrationTests.Processes;
using Unitization.TestUtils;

namespace Unitization.IntegrationTests.Namespaces;

/// <summary><c>unitization fs</c> as a user runs it: a separate process over the shipped configuration and a fresh data folder.</summary>
public sealed class FsCommandTests : IDisposable
{
    private readonly TempDirectory _data = new("unitization-fs");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task FsVerbs_PutListCatMoveEdits_WorkAgainstTheConfiguredNamespace()
    {
        var local = _data.Combine("part-0.txt");
        await File.WriteAllTextAsync(local, "row1\nrow2\n", Ct);

        var put = await FsAsync("put", local, "//warehouse/./t/dt=1/part-0");
        var mv = await FsAsync("mv", "/warehouse/t", "/warehouse/t2");
        var ls = await FsAsync("ls", "/warehouse/t2/dt=1");
        var cat = await FsAsync("cat", "/warehouse/t2/dt=1/part-0");
        var edits = await FsAsync("edits");

        Assert.Equal(0, put.ExitCode);
        Assert.StartsWith("1 ", put.Stdout, StringComparison.Ordinal);
        Assert.Contains("Create   /warehouse/t/dt=1/part-0 size=10", put.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, mv.ExitCode);
        Assert.Contains("/warehouse/t2/dt=1/part-0", ls.Stdout, StringComparison.Ordinal);
        Assert.Contains("txid 2", ls.Stdout, StringComparison.Ordinal);
        Assert.Equal("row1\nrow2\n", cat.Stdout);
        Assert.Equal(2, edits.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("Rename   /warehouse/t -> /warehouse/t2", edits.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(_data.Combine("dcA", "files", "warehouse", "t2", "dt=1", "part-0")));
    }

    [Fact]
    public async Task FsVerbs_EscapingPathOrUnknownDatacenter_ExitOneWithTheReason()
    {
        var escape = await FsAsync("mkdir", "/../outside");
        var unknown = await FsAsync("ls", "/", "--namespace", "dcZ");

        Assert.Equal(1, escape.ExitCode);
        Assert.Contains("'..' would leave the namespace root", escape.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Unknown datacenter 'dcZ'", unknown.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Join(Path.GetDirectoryName(_data.Path)!, "outside")));
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> FsAsync(string verb, params string[] arguments)
    {
        var args = new List<string> { "fs", verb };
        args.AddRange(arguments);
        if (!arguments.Contains("--namespace"))
        {
            args.AddRange(["--namespace", "dcA"]);
        }

        args.AddRange(["--config", Path.Join(Repository.Root, "infra", "config", "unitization.json"), "--data", _data.Path]);
        return DotnetProcess.RunAsync(Path.Join(AppContext.BaseDirectory, "unitization.dll"), args, Ct);
    }
}
