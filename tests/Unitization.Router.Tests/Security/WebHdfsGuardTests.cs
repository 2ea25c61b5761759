using Unitization.Router.Mounts;
using Unitization.Router.Security;
using Unitization.Router.Tests.Gateway;

namespace Unitization.Router.Tests.Security;

/// <summary>
/// Issue 19's WebHDFS cases: nothing without a credential unless insecure mode is configured, proxy users only as
/// configured, writes only by the path's write ACL, replicas written only by admins and the replicator, the staging
/// folder never shown, and the job a read is billed to never taken from a plain caller's header.
/// </summary>
public sealed class WebHdfsGuardTests
{
    private const string Peer = "10.2.0.7";

    private static RouterHarness Harness(Action<WebHdfsSecurityOptions>? configure = null)
    {
        var options = RouterHarness.DefaultOptions();
        options.Mounts.Add(new MountOptions { Path = "/dcb", Destinations = ["dcB:/"] });
        options.WebHdfs = new WebHdfsSecurityOptions
        {
            WriteAcl = [new WriteAclOptions { Path = "/warehouse", Users = ["etl"], Groups = ["finance"], Roles = ["operator"] }],
            ReplicaWriters = ["replicator"],
            UserGroups = new(StringComparer.Ordinal) { ["carol"] = ["finance"] },
            ProxyUsers = new(StringComparer.Ordinal) { ["hue"] = new ProxyUserOptions { Users = ["etl"], Hosts = ["10.2.0.0/16"] } },
        };
        configure?.Invoke(options.WebHdfs);
        var h = new RouterHarness(options);
        h.Dc("dcA").Write("/warehouse/t/a", "abc"u8.ToArray());
        h.Dc("dcB").Write("/archive/old/x", "x"u8.ToArray());
        h.Dc("dcB").Write("/.unitization/staging/w0/part-0", [1]);
        return h;
    }

    private static string MessageOf(byte[] body) => WebHdfsGatewayTests.Json(body).GetProperty("RemoteException").GetProperty("message").GetString()!;

    [Theory]
    [InlineData("GET", "/webhdfs/v1/warehouse/t/a?op=OPEN")]
    [InlineData("GET", "/webhdfs/v1/warehouse?op=LISTSTATUS&user.name=etl")]
    [InlineData("DELETE", "/webhdfs/v1/warehouse?op=DELETE&recursive=true&user.name=etl")]
    public async Task AnyOp_NoCredentialSecureMode_401Negotiate(string method, string pathAndQuery)
    {
        var h = Harness();
        await h.SettleAsync();

        var (status, headers, body) = await WebHdfsGatewayTests.SendAsync(h, method, pathAndQuery, Peer);

        Assert.Equal(401, status);
        Assert.Equal("Negotiate", headers.WWWAuthenticate.ToString());
        Assert.Contains("user.name is honoured only when Router:WebHdfs:Insecure", MessageOf(body), StringComparison.Ordinal);
        Assert.NotNull(h.Dc("dcA").Read("/warehouse/t/a"));
    }

    [Fact]
    public async Task DeleteRecursive_NobodyInsecureMode_403AndNothingDeleted()
    {
        var h = Harness(w => w.Insecure = true);
        await h.SettleAsync();
        var before = h.Dc("dcA").LastTxId;

        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "DELETE", "/webhdfs/v1/warehouse?op=DELETE&recursive=true&user.name=nobody", Peer);

        Assert.Equal(403, status);
        Assert.Contains("user=nobody, access=WRITE", MessageOf(body), StringComparison.Ordinal);
        Assert.Equal(before, h.Dc("dcA").LastTxId);
        Assert.NotNull(h.Dc("dcA").Read("/warehouse/t/a"));
    }

    [Fact]
    public async Task DeleteRecursive_ReaderPrincipalNotInAcl_403()
    {
        var h = Harness();
        await h.SettleAsync();

        var (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "DELETE", "/webhdfs/v1/warehouse?op=DELETE&recursive=true", Peer, user: Principals.Of("nobody@EXAMPLE.COM", "reader"));

        Assert.Equal(403, status);
        Assert.NotNull(h.Dc("dcA").Read("/warehouse/t/a"));
    }

    [Theory]
    [InlineData("etl@EXAMPLE.COM", "reader")] // by user (short name)
    [InlineData("carol@EXAMPLE.COM", "reader")] // by group
    [InlineData("olga@EXAMPLE.COM", "operator")] // by role
    [InlineData("root@EXAMPLE.COM", "admin")] // admins write everywhere
    public async Task Mkdirs_AllowedByTheAcl_Written(string principal, string role)
    {
        var h = Harness();
        await h.SettleAsync();

        var (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "PUT", "/webhdfs/v1/warehouse/t/new?op=MKDIRS", Peer, user: Principals.Of(principal, role));

        Assert.Equal(200, status);
        Assert.NotNull(await h.Dc("dcA").GetStatusAsync("/warehouse/t/new", CancellationToken.None));
    }

    [Fact]
    public async Task Create_PathNoAclCovers_AdminsOnly()
    {
        var h = Harness();
        await h.SettleAsync();

        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "PUT", "/webhdfs/v1/tmp/x?op=CREATE&data=true", Peer, body: [1], user: Principals.Of("etl@EXAMPLE.COM", "reader"));
        Assert.Equal(403, status);
        Assert.Contains("no Router:WebHdfs:WriteAcl entry covers it", MessageOf(body), StringComparison.Ordinal);

        (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "PUT", "/webhdfs/v1/tmp/x?op=CREATE&data=true", Peer, body: [1], user: Principals.Of("root@EXAMPLE.COM", "admin"));
        Assert.Equal(201, status);
    }

    [Fact]
    public async Task Rename_IntoAPathOutsideTheAcl_403()
    {
        var h = Harness(w => w.WriteAcl.Add(new WriteAclOptions { Path = "/warehouse/finance", Users = ["carol"] }));
        await h.SettleAsync();

        var (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "PUT", "/webhdfs/v1/warehouse/t/a?op=RENAME&destination=/warehouse/finance/a", Peer, user: Principals.Of("etl@EXAMPLE.COM", "reader"));

        Assert.Equal(403, status);
        Assert.NotNull(h.Dc("dcA").Read("/warehouse/t/a"));
    }

    [Fact]
    public async Task Delete_ReplicaMount_OnlyTheReplicatorAndAdmins()
    {
        var h = Harness();
        await h.SettleAsync();

        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "DELETE", "/webhdfs/v1/archive/old?op=DELETE&recursive=true", Peer, user: Principals.Of("etl@EXAMPLE.COM", "operator"));
        Assert.Equal(403, status);
        Assert.Contains("replica mount", MessageOf(body), StringComparison.Ordinal);
        Assert.NotNull(h.Dc("dcB").Read("/archive/old/x"));

        (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "DELETE", "/webhdfs/v1/archive/old?op=DELETE&recursive=true", Peer, user: Principals.Of("replicator/dcb.example.com@EXAMPLE.COM", "service"));
        Assert.Equal(200, status);
        Assert.Null(h.Dc("dcB").Read("/archive/old/x"));
    }

    [Fact]
    public async Task ListStatus_MountOfDcBRoot_StagingNotShownNotReadable()
    {
        var h = Harness();
        await h.SettleAsync();
        var root = Principals.Of("root@EXAMPLE.COM", "admin");

        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "GET", "/webhdfs/v1/dcb?op=LISTSTATUS", Peer, user: root);
        Assert.Equal(200, status);
        var names = WebHdfsGatewayTests.Json(body).GetProperty("FileStatuses").GetProperty("FileStatus").EnumerateArray().Select(s => s.GetProperty("pathSuffix").GetString()).ToList();
        Assert.DoesNotContain(".unitization", names);
        Assert.Contains("archive", names);

        (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "GET", "/webhdfs/v1/dcb/.unitization/staging/w0/part-0?op=OPEN", Peer, user: root);
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task Read_PrincipalWithoutAReaderRole_403()
    {
        var h = Harness();
        await h.SettleAsync();

        var (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "GET", "/webhdfs/v1/warehouse/t/a?op=OPEN", Peer, user: Principals.Of("someone@EXAMPLE.COM"));

        Assert.Equal(403, status);
    }

    [Fact]
    public async Task Doas_AllowedProxyUser_ActsAsTheUser()
    {
        var h = Harness();
        await h.SettleAsync();

        var (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "PUT", "/webhdfs/v1/warehouse/t/new?op=MKDIRS&doas=etl", Peer, user: Principals.Of("hue/gw.example.com@EXAMPLE.COM", "reader"));

        Assert.Equal(200, status); // hue may act as etl, and etl may write /warehouse
    }

    [Theory]
    [InlineData("hue/gw.example.com@EXAMPLE.COM", "doas=root", "10.2.0.7", "not allowed to impersonate root")]
    [InlineData("hue/gw.example.com@EXAMPLE.COM", "doas=etl", "10.1.0.7", "Unauthorized connection for super-user: hue from IP 10.1.0.7")]
    [InlineData("mallory@EXAMPLE.COM", "doas=etl", "10.2.0.7", "no Router:WebHdfs:ProxyUsers:mallory")]
    public async Task Doas_NotAllowed_403(string principal, string doas, string peer, string message)
    {
        var h = Harness();
        await h.SettleAsync();

        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "PUT", $"/webhdfs/v1/warehouse/t/new?op=MKDIRS&{doas}", peer, user: Principals.Of(principal, "admin"));

        Assert.Equal(403, status);
        Assert.Contains(message, MessageOf(body), StringComparison.Ordinal);
        Assert.Null(await h.Dc("dcA").GetStatusAsync("/warehouse/t/new", CancellationToken.None));
    }

    [Fact]
    public async Task Open_XJobIdFromAPlainReader_BilledToThePrincipal()
    {
        var h = Harness(w => w.JobGateways = ["hive-gateway"]);
        h.Dc("dcA").Write("/warehouse/t/b", "new!"u8.ToArray()); // dcB holds no copy: read across the link
        await h.SettleAsync();

        var (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "GET", "/webhdfs/v1/warehouse/t/b?op=OPEN&job=finance.ledger_close", Peer, headers: new() { ["X-Job-Id"] = "finance.ledger_close" }, user: Principals.Of("bob@EXAMPLE.COM", "reader"));
        Assert.Equal(200, status);
        (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "GET", "/webhdfs/v1/warehouse/t/b?op=OPEN", Peer, headers: new() { ["X-Job-Id"] = "etl.daily" }, user: Principals.Of("hive-gateway@EXAMPLE.COM", "reader"));
        Assert.Equal(200, status);

        Assert.Equal(["bob@EXAMPLE.COM", "etl.daily"], h.Traffic.Records.Select(r => r.Job).ToArray());
        Assert.Equal(["bob@EXAMPLE.COM", "etl.daily"], h.Budget.Grants.Select(g => g.Tenant).ToArray());
    }
}
