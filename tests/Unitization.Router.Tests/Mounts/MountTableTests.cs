using Unitization.Router.Mounts;

namespace Unitization.Router.Tests.Mounts;

public sealed class MountTableTests
{
    private static MirroredMount Mount(string path, params string[] destinations) =>
        new MountOptions { Path = path, Destinations = [.. destinations] }.ToMount("config", null, []) ?? throw new InvalidOperationException(path);

    [Fact]
    public void Match_NestedMounts_LongestPrefixOnSegmentBoundaries()
    {
        var table = new MountTable([Mount("/warehouse", "dcA:/warehouse"), Mount("/warehouse/db1", "dcB:/w/db1", "dcA:/warehouse/db1")]);
        Assert.Equal("/warehouse/db1", table.Match("/warehouse/db1/t/part-0")?.Path);
        Assert.Equal("/warehouse/db1", table.Match("/warehouse/db1")?.Path);
        Assert.Equal("/warehouse", table.Match("/warehouse/db10/t")?.Path);
        Assert.Equal("/warehouse", table.Match("/warehouse")?.Path);
        Assert.Null(table.Match("/ware"));
        Assert.Null(table.Match("/"));
    }

    [Fact]
    public void MountPointsBelow_ParentsOfMounts_NextSegmentsSortedAndDistinct()
    {
        var table = new MountTable([
            Mount("/warehouse/db1", "dcA:/warehouse/db1"), Mount("/warehouse/db1/t", "dcA:/warehouse/db1/t"),
            Mount("/warehouse/db1-2", "dcA:/warehouse/db1-2"), Mount("/warehouse/db2/t/p", "dcA:/warehouse/db2/t/p"),
            Mount("/tmp", "dcA:/tmp"), Mount("/warehousex", "dcA:/warehousex")]);
        Assert.Equal(["db1", "db1-2", "db2"], table.MountPointsBelow("/warehouse"));
        Assert.Equal(["t"], table.MountPointsBelow("/warehouse/db1"));
        Assert.Equal(["t"], table.MountPointsBelow("/warehouse/db2"));
        Assert.Equal(["tmp", "warehouse", "warehousex"], table.MountPointsBelow("/"));
        Assert.Empty(table.MountPointsBelow("/warehouse/db1/t"));
        Assert.Empty(table.MountPointsBelow("/ware"));
        Assert.Empty(new MountTable([Mount("/", "dcA:/")]).MountPointsBelow("/"));
    }

    [Fact]
    public void Match_RootMount_CatchesEverything()
    {
        var table = new MountTable([Mount("/", "dcA:/")]);
        Assert.Equal("/", table.Match("/x/y")?.Path);
        Assert.Equal("/", table.Match("/")?.Path);
    }

    [Fact]
    public void Translate_MapsTheRestOntoTheDestination()
    {
        var mount = Mount("/warehouse/db1", "dcA:/warehouse/db1", "dcB:/mirror/db1");
        Assert.Equal("/mirror/db1/t/p=1", mount.Translate("/mirror/db1", "/warehouse/db1/t/p=1"));
        Assert.Equal("/mirror/db1", mount.Translate("/mirror/db1", "/warehouse/db1"));
        Assert.Equal("/t", mount.Translate("/", "/warehouse/db1/t"));
        Assert.Equal("/data/x", Mount("/", "dcA:/data").Translate("/data", "/x"));
    }

    [Fact]
    public void ToMount_InvalidDefinition_ErrorsNameTheField()
    {
        var errors = new List<string>();
        var mount = new MountOptions { Path = "warehouse", Destinations = ["dcA:/w", "nocolon", "dcX:/w", "dcA:/v"] }.ToMount("api", ["dcA", "dcB"], errors);
        Assert.Null(mount);
        Assert.Contains(errors, e => e.StartsWith("Path: ", StringComparison.Ordinal) && e.Contains("absolute", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Destinations:1: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Destinations:2: 'dcX' is not a configured datacenter", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Destinations:3: datacenter 'dcA' is listed twice", StringComparison.Ordinal));
    }

    [Fact]
    public void RouterPath_TryNormalize_CleansAndRefusesDotDot()
    {
        Assert.True(RouterPath.TryNormalize("//warehouse/./db1/", out var normal, out _));
        Assert.Equal("/warehouse/db1", normal);
        const string already = "/warehouse/db1";
        Assert.True(RouterPath.TryNormalize(already, out var same, out _));
        Assert.Same(already, same);
        Assert.False(RouterPath.TryNormalize("/warehouse/../etc", out _, out var error));
        Assert.Contains("..", error, StringComparison.Ordinal);
    }
}
