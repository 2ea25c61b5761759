namespace Unitization.Router.Tests;

public sealed class NearestPathIndexTests
{
    private static NearestPathIndex<int> Index(params string[] keys) =>
        new(keys.Select((k, i) => KeyValuePair.Create(k, i)));

    [Theory]
    [InlineData("/warehouse/db1/t/part-0", 2)]
    [InlineData("/warehouse/db1", 2)]
    [InlineData("/warehouse/db10", 1)]
    [InlineData("/warehouse/db1x/t", 1)]
    [InlineData("/warehouse", 1)]
    [InlineData("/ware", 0)]
    [InlineData("/", 0)]
    [InlineData("/a/very/long/path/far/beyond/every/key/in/the/index", 0)]
    public void TryGetNearest_LongestAncestorOrSelf(string path, int expected)
    {
        var index = Index("/", "/warehouse", "/warehouse/db1");
        Assert.True(index.TryGetNearest(path, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("/warehouse")]
    [InlineData("/warehouse/db")]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("warehouse/db1/x")]
    public void TryGetNearest_NoCoveringKey_False(string path) =>
        Assert.False(Index("/warehouse/db1", "/tmp").TryGetNearest(path, out _));

    [Fact]
    public void TryGetNearest_KeyLongerThanTrackedLengths_StillFound()
    {
        var deep = "/" + string.Join('/', Enumerable.Repeat("segment", 200));
        var index = Index(deep, "/x");
        Assert.True(index.TryGetNearest(deep + "/file", out var value));
        Assert.Equal(0, value);
        Assert.False(index.TryGetNearest(deep[..^1] + "/file", out _));
    }
}
