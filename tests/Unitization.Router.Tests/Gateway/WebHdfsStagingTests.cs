using Unitization.Router.Mounts;

namespace Unitization.Router.Tests.Gateway;

/// <summary>
/// Issue 16 case 9 (staging): Unitization's internal folder (/.unitization) is never visible through the gateway or
/// resolve, even under a mount of a namespace's root: left out of listings, and refused by name.
/// </summary>
public sealed class WebHdfsStagingTests
{
    private static RouterHarness RootMounted()
    {
        var options = RouterHarness.DefaultOptions();
        options.Mounts.Add(new MountOptions { Path = "/all", Destinations = ["dcA:/"] });
        var h = new RouterHarness(options);
        h.Dc("dcA").Write("/.unitization/staging/w0/part-0", [1, 2, 3]);
        h.Dc("dcA").Write("/data/part-0", [4]);
        return h;
    }

    [Fact]
    public async Task ListStatus_MountOfTheNamespaceRoot_LeavesTheStagingFolderOut()
    {
        var h = RootMounted();
        await h.SettleAsync();

        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "GET", "/webhdfs/v1/all?op=LISTSTATUS", "10.1.0.7");

        Assert.Equal(200, status);
        var names = WebHdfsGatewayTests.Json(body).GetProperty("FileStatuses").GetProperty("FileStatus").EnumerateArray()
            .Select(s => s.GetProperty("pathSuffix").GetString()).ToList();
        Assert.Equal(["data"], names);
    }

    [Theory]
    [InlineData("GET", "/webhdfs/v1/all/.unitization?op=GETFILESTATUS")]
    [InlineData("GET", "/webhdfs/v1/all/.unitization/staging?op=LISTSTATUS")]
    [InlineData("GET", "/webhdfs/v1/all/.unitization/staging/w0/part-0?op=OPEN")]
    [InlineData("PUT", "/webhdfs/v1/all/.unitization/x?op=MKDIRS")]
    [InlineData("GET", "/webhdfs/v1/.unitization/staging?op=LISTSTATUS")]
    public async Task AnyOp_PathInTheStagingFolder_400NamingTheReservedFolder(string method, string pathAndQuery)
    {
        var h = RootMounted();
        await h.SettleAsync();
        var before = h.Dc("dcA").LastTxId;

        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, method, pathAndQuery, "10.1.0.7");

        Assert.Equal(400, status);
        Assert.Contains("/.unitization is reserved", WebHdfsGatewayTests.Json(body).GetProperty("RemoteException").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, h.Dc("dcA").LastTxId);
    }
}
