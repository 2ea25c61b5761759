using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Unitization.Throttle.Budget;

namespace Unitization.Router.Tests.Gateway;

public sealed class WebHdfsGatewayTests
{
    private const string DcB = "10.2.0.7";

    internal static async Task<(int Status, IHeaderDictionary Headers, byte[] Body)> SendAsync(
        RouterHarness h, string method, string pathAndQuery, string peer = DcB, byte[]? body = null, Dictionary<string, string>? headers = null, ClaimsPrincipal? user = null)
    {
        var context = new DefaultHttpContext();
        if (user is not null)
        {
            context.User = user;
        }

        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("router.test");
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(question < 0 ? string.Empty : pathAndQuery[question..]);
        context.Request.RouteValues["path"] = path["/webhdfs/v1/".Length..];
        context.Request.Body = new MemoryStream(body ?? []);
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        foreach (var (name, value) in headers ?? [])
        {
            context.Request.Headers[name] = value;
        }

        var response = new MemoryStream();
        context.Response.Body = response;
        await h.Gateway.HandleAsync(context);
        return (context.Response.StatusCode, context.Response.Headers, response.ToArray());
    }

    internal static JsonElement Json(byte[] body) => JsonDocument.Parse(body).RootElement;

    private static void AssertRemoteException(int status, byte[] body, int expectedStatus, string exception, string javaClassName)
    {
        Assert.Equal(expectedStatus, status);
        var root = Json(body);
        var remote = Assert.Single(root.EnumerateObject());
        Assert.Equal("RemoteException", remote.Name);
        Assert.Equal(["exception", "javaClassName", "message"], remote.Value.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(exception, remote.Value.GetProperty("exception").GetString());
        Assert.Equal(javaClassName, remote.Value.GetProperty("javaClassName").GetString());
        Assert.False(string.IsNullOrWhiteSpace(remote.Value.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task GetFileStatus_Missing_404FileNotFound()
    {
        var h = new RouterHarness();
        var (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse/none?op=GETFILESTATUS");
        AssertRemoteException(status, body, 404, "FileNotFoundException", "java.io.FileNotFoundException");
        (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/nomount/x?op=OPEN");
        AssertRemoteException(status, body, 404, "FileNotFoundException", "java.io.FileNotFoundException");
    }

    [Fact]
    public async Task Writes_ToReadOnlyMount_403AccessControlException()
    {
        var h = new RouterHarness();
        foreach (var (method, query) in new[] { ("PUT", "op=CREATE&data=true"), ("PUT", "op=CREATE"), ("PUT", "op=MKDIRS"), ("PUT", "op=RENAME&destination=/archive/y") })
        {
            var (status, _, body) = await SendAsync(h, method, "/webhdfs/v1/archive/x?" + query, body: "data"u8.ToArray());
            AssertRemoteException(status, body, 403, "AccessControlException", "org.apache.hadoop.security.AccessControlException");
        }

        Assert.Empty(h.Dc("dcB").Edits);
        Assert.Empty(h.Dc("dcC").Edits);
    }

    [Fact]
    public async Task BadOp_400WithTheWebHdfsExceptionNames()
    {
        var h = new RouterHarness();
        var (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse/x");
        AssertRemoteException(status, body, 400, "IllegalArgumentException", "java.lang.IllegalArgumentException");
        (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse/x?op=FROBNICATE");
        AssertRemoteException(status, body, 400, "IllegalArgumentException", "java.lang.IllegalArgumentException");
        (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse/x?op=GETXATTRS");
        AssertRemoteException(status, body, 400, "UnsupportedOperationException", "java.lang.UnsupportedOperationException");
        (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse/x?op=OPEN&offset=-1");
        AssertRemoteException(status, body, 400, "IllegalArgumentException", "java.lang.IllegalArgumentException");
    }

    [Fact]
    public async Task Create_TwoSteps_RedirectThenBytesToThePrimary()
    {
        var h = new RouterHarness();
        var (status, headers, _) = await SendAsync(h, "PUT", "/webhdfs/v1/warehouse/db1/t/part-0?op=CREATE&overwrite=false");
        Assert.Equal(307, status);
        var location = new Uri(headers.Location.ToString());
        Assert.Equal("/webhdfs/v1/warehouse/db1/t/part-0", location.AbsolutePath);
        Assert.Contains("data=true", location.Query, StringComparison.Ordinal);
        Assert.Empty(h.Dc("dcA").Edits);

        (status, headers, _) = await SendAsync(h, "PUT", location.PathAndQuery, body: "hello"u8.ToArray());
        Assert.Equal(201, status);
        Assert.Equal("webhdfs://router.test/warehouse/db1/t/part-0", headers.Location.ToString());
        Assert.Equal("hello"u8.ToArray(), h.Dc("dcA").Read("/warehouse/db1/t/part-0"));
        Assert.Null(h.Dc("dcB").Read("/warehouse/db1/t/part-0"));

        (status, _, var body) = await SendAsync(h, "PUT", location.PathAndQuery, body: "again"u8.ToArray());
        AssertRemoteException(status, body, 403, "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException");
    }

    [Fact]
    public async Task Open_FreshReplica_ServedLocallyWithOffsetAndLength()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/warehouse/t/a", "0123456789"u8.ToArray());
        await h.CopyAsync("/warehouse/t/a");
        await h.SettleAsync();

        var (status, headers, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse/t/a?op=OPEN&offset=2&length=5");

        Assert.Equal(200, status);
        Assert.Equal("23456", Encoding.ASCII.GetString(body));
        Assert.Equal("dcB", headers["X-Unitization-Datacenter"].ToString());
        Assert.Empty(h.Budget.Grants);
        Assert.Empty(h.Traffic.Records);
    }

    [Fact]
    public async Task Open_StaleReplica_ThrottledFromPrimaryAndRecorded()
    {
        var options = RouterHarness.DefaultOptions();
        options.WebHdfs.JobGateways = ["hive-gateway"]; // a gateway trusted to name the job it reads for
        var h = new RouterHarness(options);
        h.Dc("dcA").Write("/warehouse/t/a", "old"u8.ToArray());
        await h.CopyAsync("/warehouse/t/a");
        h.Dc("dcA").Write("/warehouse/t/a", "new!"u8.ToArray());
        await h.SettleAsync();

        var (status, headers, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse/t/a?op=OPEN", headers: new() { ["X-Job-Id"] = "etl.daily" }, user: Security.Principals.Of("hive-gateway@EXAMPLE.COM", "reader"));

        Assert.Equal(200, status);
        Assert.Equal("new!", Encoding.ASCII.GetString(body));
        Assert.Equal("dcA", headers["X-Unitization-Datacenter"].ToString());
        Assert.Equal("StaleReplica", headers["X-Unitization-Reason"].ToString());
        var grant = Assert.Single(h.Budget.Grants);
        Assert.Equal((new LinkId("dcA", "dcB"), TrafficPriority.Low, "etl.daily", 4L), grant);
        var record = Assert.Single(h.Traffic.Records);
        Assert.Equal(("etl.daily", "dcA", "dcB", 4L, "router"), (record.Job, record.SourceDatacenter, record.DestinationDatacenter, record.Bytes, record.Component));
    }

    [Fact]
    public async Task ForwardedFor_OnlyFromTrustedProxy()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/tmp/x", "a"u8.ToArray());
        h.Dc("dcB").Write("/tmp/x", "b"u8.ToArray());
        var forwarded = new Dictionary<string, string> { ["X-Forwarded-For"] = "10.2.9.9" };

        var (_, _, viaProxy) = await SendAsync(h, "GET", "/webhdfs/v1/tmp/x?op=OPEN", peer: "127.0.0.1", headers: forwarded);
        var (_, _, spoofed) = await SendAsync(h, "GET", "/webhdfs/v1/tmp/x?op=OPEN", peer: "10.1.0.5", headers: forwarded);

        Assert.Equal("b", Encoding.ASCII.GetString(viaProxy));
        Assert.Equal("a", Encoding.ASCII.GetString(spoofed));
    }

    [Fact]
    public async Task MetadataOps_JsonShapesOfTheSpec()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/warehouse/t/p=1/a", "12345"u8.ToArray());
        h.Dc("dcA").Write("/warehouse/t/b", "12"u8.ToArray());
        h.CatchUp();
        var fromA = "10.1.0.1";

        var (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse/t/b?op=GETFILESTATUS", fromA);
        Assert.Equal(200, status);
        var file = Json(body).GetProperty("FileStatus");
        Assert.Equal(
            ["accessTime", "blockSize", "childrenNum", "fileId", "group", "length", "modificationTime", "owner", "pathSuffix", "permission", "replication", "storagePolicy", "type"],
            file.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(("FILE", 2, ""), (file.GetProperty("type").GetString(), file.GetProperty("length").GetInt32(), file.GetProperty("pathSuffix").GetString()));

        (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse/t?op=LISTSTATUS", fromA);
        var list = Json(body).GetProperty("FileStatuses").GetProperty("FileStatus").EnumerateArray().ToList();
        Assert.Equal(["b", "p=1"], list.Select(e => e.GetProperty("pathSuffix").GetString()!).ToArray());
        Assert.Equal(["FILE", "DIRECTORY"], list.Select(e => e.GetProperty("type").GetString()!).ToArray());

        (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse/t?op=GETCONTENTSUMMARY", fromA);
        var summary = Json(body).GetProperty("ContentSummary");
        Assert.Equal((2, 2, 7), (summary.GetProperty("directoryCount").GetInt32(), summary.GetProperty("fileCount").GetInt32(), summary.GetProperty("length").GetInt32()));
        Assert.Equal(-1, summary.GetProperty("quota").GetInt32());

        (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse/t/b?op=GETFILECHECKSUM", fromA);
        var checksum = Json(body).GetProperty("FileChecksum");
        Assert.Equal(["algorithm", "bytes", "length"], checksum.EnumerateObject().Select(p => p.Name).ToArray());

        (status, _, body) = await SendAsync(h, "PUT", "/webhdfs/v1/warehouse/t/new?op=MKDIRS", fromA);
        Assert.True(Json(body).GetProperty("boolean").GetBoolean());
        (status, _, body) = await SendAsync(h, "PUT", "/webhdfs/v1/warehouse/t/b?op=RENAME&destination=/warehouse/t/c", fromA);
        Assert.True(Json(body).GetProperty("boolean").GetBoolean());
        (status, _, body) = await SendAsync(h, "PUT", "/webhdfs/v1/warehouse/t/b?op=RENAME&destination=/warehouse/t/d", fromA);
        Assert.False(Json(body).GetProperty("boolean").GetBoolean());
        (status, _, body) = await SendAsync(h, "DELETE", "/webhdfs/v1/warehouse/t?op=DELETE&recursive=true", DcB);
        Assert.True(Json(body).GetProperty("boolean").GetBoolean());
        Assert.Null(h.Dc("dcA").Read("/warehouse/t/c"));
        (status, _, body) = await SendAsync(h, "DELETE", "/webhdfs/v1/warehouse/t?op=DELETE", DcB);
        Assert.False(Json(body).GetProperty("boolean").GetBoolean());
    }

    private static RouterHarness MountPointHarness()
    {
        var options = RouterHarness.DefaultOptions();
        options.Mounts =
        [
            new() { Path = "/warehouse/db1", Destinations = ["dcA:/warehouse/db1", "dcB:/warehouse/db1"] },
            new() { Path = "/warehouse/db2/t", Destinations = ["dcA:/warehouse/db2/t"] },
            new() { Path = "/tmp", Follow = true },
        ];
        return new RouterHarness(options);
    }

    private static string[] Names(byte[] body, out JsonElement[] statuses)
    {
        statuses = [.. Json(body).GetProperty("FileStatuses").GetProperty("FileStatus").EnumerateArray()];
        return [.. statuses.Select(s => s.GetProperty("pathSuffix").GetString()!)];
    }

    [Fact]
    public async Task ListStatus_ParentOfMountsWithoutMount_ListsMountPointsAsDirectories()
    {
        var h = MountPointHarness();
        h.Dc("dcA").Write("/warehouse/db1/t/part-0", "x"u8.ToArray());
        await h.SettleAsync();

        var (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse?op=LISTSTATUS");

        Assert.Equal(200, status);
        Assert.Equal(["db1", "db2"], Names(body, out var statuses));
        Assert.All(statuses, s => Assert.Equal("DIRECTORY", s.GetProperty("type").GetString()));
        Assert.Equal(1, statuses[0].GetProperty("childrenNum").GetInt32()); // db1 exists in dcA (the primary, for a dcB client without a replica)
        Assert.Equal(1, statuses[1].GetProperty("childrenNum").GetInt32()); // db2 holds the mount point t

        (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/?op=LISTSTATUS");
        Assert.Equal(200, status);
        Assert.Equal(["tmp", "warehouse"], Names(body, out _));
    }

    [Fact]
    public async Task GetFileStatus_ParentOfMountsWithoutMount_IsADirectory()
    {
        var h = MountPointHarness();
        var (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse?op=GETFILESTATUS");

        Assert.Equal(200, status);
        var fileStatus = Json(body).GetProperty("FileStatus");
        Assert.Equal("DIRECTORY", fileStatus.GetProperty("type").GetString());
        Assert.Equal(2, fileStatus.GetProperty("childrenNum").GetInt32());

        (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/ware?op=GETFILESTATUS");
        AssertRemoteException(status, body, 404, "FileNotFoundException", "java.io.FileNotFoundException");
        (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/elsewhere?op=LISTSTATUS");
        AssertRemoteException(status, body, 404, "FileNotFoundException", "java.io.FileNotFoundException");
    }

    [Fact]
    public async Task ContentSummary_ParentOfMountsWithoutMount_SumsTheMountPoints()
    {
        var h = MountPointHarness();
        h.Dc("dcA").Write("/warehouse/db1/t/part-0", "12345"u8.ToArray());
        h.Dc("dcA").Write("/warehouse/db2/t/part-0", "123"u8.ToArray());
        await h.SettleAsync();

        var (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse?op=GETCONTENTSUMMARY");

        Assert.Equal(200, status);
        var summary = Json(body).GetProperty("ContentSummary");
        // /warehouse and /warehouse/db2 exist only as parents of mount points; db1, db1/t and db2/t are directories in dcA
        Assert.Equal((5, 2, 8), (summary.GetProperty("directoryCount").GetInt64(), summary.GetProperty("fileCount").GetInt64(), summary.GetProperty("length").GetInt64()));
    }

    [Fact]
    public async Task ListStatus_MountedDirectoryWithMountsBelow_MergesThemIn()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/warehouse/a/part-0", "x"u8.ToArray());
        h.Dc("dcA").Write("/warehouse/c/part-0", "x"u8.ToArray());
        await h.Registry.PutAsync(new() { Path = "/warehouse/b", Destinations = ["dcC:/b"] }, CancellationToken.None);
        await h.SettleAsync();

        var (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse?op=LISTSTATUS", peer: "10.1.0.9");

        Assert.Equal(200, status);
        Assert.Equal(["a", "b", "c"], Names(body, out var statuses));
        Assert.Equal("DIRECTORY", statuses[1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Open_NoRedirect_AnswersTheDataLocationWhichServesTheBytes()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/warehouse/t/a", "0123456789"u8.ToArray());
        await h.SettleAsync();

        var (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse/t/a?op=OPEN&offset=3&noredirect=true");

        Assert.Equal(200, status);
        var location = new Uri(Json(body).GetProperty("Location").GetString()!);
        Assert.Equal("/webhdfs/v1/warehouse/t/a", location.AbsolutePath);
        Assert.Contains("data=true", location.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("noredirect", location.Query, StringComparison.Ordinal);

        (status, _, body) = await SendAsync(h, "GET", location.PathAndQuery);
        Assert.Equal(200, status);
        Assert.Equal("3456789", Encoding.ASCII.GetString(body));

        (status, _, body) = await SendAsync(h, "GET", "/webhdfs/v1/warehouse/none?op=OPEN&noredirect=true");
        AssertRemoteException(status, body, 404, "FileNotFoundException", "java.io.FileNotFoundException");
    }
}
