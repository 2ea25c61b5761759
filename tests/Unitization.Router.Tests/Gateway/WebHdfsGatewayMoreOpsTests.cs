using System.Globalization;

namespace Unitization.Router.Tests.Gateway;

/// <summary>LISTSTATUS_BATCH, SETTIMES and RENAME with renameoptions, as HDFS answers them.</summary>
public sealed class WebHdfsGatewayMoreOpsTests
{
    private const string DcA = "10.1.0.7";

    [Fact]
    public async Task ListStatusBatch_LargeDirectory_PagesOfAThousandWithRemaining()
    {
        var h = new RouterHarness();
        for (var i = 0; i < 1002; i++)
        {
            h.Dc("dcA").Write(string.Create(CultureInfo.InvariantCulture, $"/warehouse/t/f{i:D4}"), [1]);
        }

        await h.SettleAsync();
        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "GET", "/webhdfs/v1/warehouse/t?op=LISTSTATUS_BATCH", DcA);
        Assert.Equal(200, status);
        var listing = WebHdfsGatewayTests.Json(body).GetProperty("DirectoryListing");
        var page = listing.GetProperty("partialListing").GetProperty("FileStatuses").GetProperty("FileStatus").EnumerateArray().ToList();
        Assert.Equal(1000, page.Count);
        Assert.Equal(2, listing.GetProperty("remainingEntries").GetInt64());
        Assert.Equal("f0999", page[^1].GetProperty("pathSuffix").GetString());

        (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "GET", "/webhdfs/v1/warehouse/t?op=LISTSTATUS_BATCH&startAfter=f0999", DcA);
        listing = WebHdfsGatewayTests.Json(body).GetProperty("DirectoryListing");
        Assert.Equal(["f1000", "f1001"], listing.GetProperty("partialListing").GetProperty("FileStatuses").GetProperty("FileStatus").EnumerateArray().Select(e => e.GetProperty("pathSuffix").GetString()));
        Assert.Equal(0, listing.GetProperty("remainingEntries").GetInt64());
    }

    [Fact]
    public async Task SetTimes_ModificationTime_SetOnThePrimary()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/warehouse/f", [1]);
        var (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "PUT", "/webhdfs/v1/warehouse/f?op=SETTIMES&modificationtime=1767225600000&accesstime=-1", DcA);
        Assert.Equal(200, status);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225600000), (await h.Dc("dcA").GetStatusAsync("/warehouse/f", TestContext.Current.CancellationToken))!.ModificationTime);
        (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "PUT", "/webhdfs/v1/warehouse/f?op=SETTIMES&modificationtime=soon", DcA);
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task Rename2_OverwriteAndNone_AsHdfsRename2Answers()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/warehouse/new", [2]);
        h.Dc("dcA").Write("/warehouse/f", [1]);

        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "PUT", "/webhdfs/v1/warehouse/new?op=RENAME&destination=/warehouse/f&renameoptions=NONE", DcA);
        Assert.Equal(403, status);
        Assert.Equal("FileAlreadyExistsException", WebHdfsGatewayTests.Json(body).GetProperty("RemoteException").GetProperty("exception").GetString());

        (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "PUT", "/webhdfs/v1/warehouse/new?op=RENAME&destination=/warehouse/f&renameoptions=OVERWRITE", DcA);
        Assert.Equal(200, status);
        Assert.Empty(body);
        Assert.Equal([2], h.Dc("dcA").Read("/warehouse/f"));
        Assert.Null(h.Dc("dcA").Read("/warehouse/new"));

        (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "PUT", "/webhdfs/v1/warehouse/new?op=RENAME&destination=/warehouse/g&renameoptions=NONE", DcA);
        Assert.Equal(404, status);
        (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "PUT", "/webhdfs/v1/warehouse/f?op=RENAME&destination=/warehouse/g&renameoptions=SIDEWAYS", DcA);
        Assert.Equal(400, status);
    }
}
