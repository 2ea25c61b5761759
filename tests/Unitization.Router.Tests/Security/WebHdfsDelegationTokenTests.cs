using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Router.Security;
using Unitization.Router.Tests.Gateway;
using Unitization.StateStore;
using Unitization.TestUtils;

namespace Unitization.Router.Tests.Security;

/// <summary>
/// Delegation tokens as HDFS issues them: obtained with Kerberos, used by a client without a ticket (<c>delegation=</c>),
/// renewed by the renewer up to the max date, cancelled (then refused by every instance sharing the state store).
/// </summary>
public sealed class WebHdfsDelegationTokenTests : IDisposable
{
    private const string Peer = "10.2.0.7";
    private readonly TempDirectory _temp = new("unitization-tokens");
    private readonly SqliteStateDatabase _database;

    public WebHdfsDelegationTokenTests()
    {
        _database = new SqliteStateDatabase(_temp.Combine("state.db"), [StateStoreDelegationTokenStore.Migration], NullLogger<SqliteStateDatabase>.Instance);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private RouterHarness Secure()
    {
        var options = RouterHarness.DefaultOptions();
        options.WebHdfs = new WebHdfsSecurityOptions
        {
            TokenRenewInterval = TimeSpan.FromHours(1),
            TokenMaxLifetime = TimeSpan.FromHours(3),
            WriteAcl = [new WriteAclOptions { Path = "/warehouse", Users = ["alice"] }],
        };
        var h = new RouterHarness(options, stateDatabase: _database);
        h.Dc("dcA").Write("/warehouse/t/a", "abc"u8.ToArray());
        h.Dc("dcB").Write("/warehouse/t/a", "abc"u8.ToArray());
        return h;
    }

    private static async Task<string> GetTokenAsync(RouterHarness h, string query = "renewer=alice")
    {
        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "GET", "/webhdfs/v1/?op=GETDELEGATIONTOKEN&" + query, Peer, user: Principals.Of("alice@EXAMPLE.COM", "reader"));
        Assert.Equal(200, status);
        var token = WebHdfsGatewayTests.Json(body).GetProperty("Token");
        Assert.Equal(["urlString"], token.EnumerateObject().Select(p => p.Name).ToArray());
        return token.GetProperty("urlString").GetString()!;
    }

    private static string ExceptionOf(byte[] body) => WebHdfsGatewayTests.Json(body).GetProperty("RemoteException").GetProperty("exception").GetString()!;

    [Fact]
    public async Task GetDelegationToken_Kerberos_HadoopTokenForTheOwner()
    {
        var h = Secure();
        await h.SettleAsync();

        var text = await GetTokenAsync(h, "renewer=yarn&service=10.0.0.1:9870");

        Assert.True(DelegationToken.TryParse(text, out var token, out _));
        Assert.Equal((DelegationToken.WebHdfsKind, "10.0.0.1:9870"), (token!.Kind, token.Service));
        var identifier = DelegationTokenIdentifier.Parse(token.Identifier);
        var issued = h.Time.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(("alice@EXAMPLE.COM", "yarn", string.Empty, issued, issued + (3 * 3600_000L)), (identifier.Owner, identifier.Renewer, identifier.RealUser, identifier.IssueDate, identifier.MaxDate));
        Assert.Equal(20, token.Password.Length); // HMAC-SHA1
    }

    [Fact]
    public async Task Delegation_ClientWithoutTicket_ReadsAndWritesAsTheOwner()
    {
        var h = Secure();
        await h.SettleAsync();
        var token = await GetTokenAsync(h);

        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "GET", $"/webhdfs/v1/warehouse/t/a?op=OPEN&delegation={token}", Peer);
        Assert.Equal((200, "abc"), (status, System.Text.Encoding.ASCII.GetString(body)));

        (status, _, _) = await WebHdfsGatewayTests.SendAsync(h, "PUT", $"/webhdfs/v1/warehouse/t/new?op=MKDIRS&delegation={token}", Peer);
        Assert.Equal(200, status); // alice is in /warehouse's write ACL
        Assert.NotNull(await h.Dc("dcA").GetStatusAsync("/warehouse/t/new", CancellationToken.None));
    }

    [Fact]
    public async Task Renew_ByRenewer_ExtendsUpToTheMaxDateOnly()
    {
        var h = Secure();
        await h.SettleAsync();
        var token = await GetTokenAsync(h);
        var issued = h.Time.GetUtcNow().ToUnixTimeMilliseconds();

        h.Time.Advance(TimeSpan.FromMinutes(50));
        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "PUT", $"/webhdfs/v1/?op=RENEWDELEGATIONTOKEN&token={token}", Peer, user: Principals.Of("alice@EXAMPLE.COM", "reader"));
        Assert.Equal(200, status);
        Assert.Equal(issued + (110 * 60_000L), WebHdfsGatewayTests.Json(body).GetProperty("long").GetInt64());

        h.Time.Advance(TimeSpan.FromMinutes(100)); // 2.5 h after issue, 1 h of renewal would pass the 3 h max date
        (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "PUT", $"/webhdfs/v1/?op=RENEWDELEGATIONTOKEN&token={token}", Peer, user: Principals.Of("alice@EXAMPLE.COM", "reader"));
        Assert.Equal(403, status); // the renewal of 50 min ran out at 110 min
        Assert.Equal("InvalidToken", ExceptionOf(body));
    }

    [Fact]
    public async Task Renew_NotTheRenewer_403AccessControl()
    {
        var h = Secure();
        await h.SettleAsync();
        var token = await GetTokenAsync(h, "renewer=yarn");

        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "PUT", $"/webhdfs/v1/?op=RENEWDELEGATIONTOKEN&token={token}", Peer, user: Principals.Of("mallory@EXAMPLE.COM", "reader"));

        Assert.Equal(403, status);
        Assert.Equal("AccessControlException", ExceptionOf(body));
    }

    [Fact]
    public async Task Expired_AfterTheRenewInterval_Refused()
    {
        var h = Secure();
        await h.SettleAsync();
        var token = await GetTokenAsync(h);

        h.Time.Advance(TimeSpan.FromMinutes(61));
        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "GET", $"/webhdfs/v1/warehouse/t/a?op=GETFILESTATUS&delegation={token}", Peer);

        Assert.Equal(403, status);
        Assert.Contains("is expired", WebHdfsGatewayTests.Json(body).GetProperty("RemoteException").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ThenEveryInstanceRefusesIt()
    {
        var first = Secure();
        var second = Secure(); // another router on the same state store
        await first.SettleAsync();
        await second.SettleAsync();
        var token = await GetTokenAsync(first);
        var (status, _, _) = await WebHdfsGatewayTests.SendAsync(second, "GET", $"/webhdfs/v1/warehouse/t/a?op=GETFILESTATUS&delegation={token}", Peer);
        Assert.Equal(200, status);

        (status, _, var body) = await WebHdfsGatewayTests.SendAsync(second, "PUT", $"/webhdfs/v1/?op=CANCELDELEGATIONTOKEN&token={token}", Peer, user: Principals.Of("alice@EXAMPLE.COM", "reader"));
        Assert.Equal((200, 0), (status, body.Length));

        foreach (var h in new[] { first, second })
        {
            (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "GET", $"/webhdfs/v1/warehouse/t/a?op=GETFILESTATUS&delegation={token}", Peer);
            Assert.Equal(403, status);
            Assert.Equal("InvalidToken", ExceptionOf(body));
        }
    }

    [Fact]
    public async Task Tampered_OwnerChanged_RefusedAsForeign()
    {
        var h = Secure();
        await h.SettleAsync();
        Assert.True(DelegationToken.TryParse(await GetTokenAsync(h), out var token, out _));
        var identifier = DelegationTokenIdentifier.Parse(token!.Identifier) with { Owner = "admin" };
        var forged = (token with { Identifier = identifier.ToBytes() }).ToUrlString();

        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "PUT", $"/webhdfs/v1/warehouse/t/x?op=MKDIRS&delegation={forged}", Peer);

        Assert.Equal(403, status);
        Assert.Contains("password does not match", WebHdfsGatewayTests.Json(body).GetProperty("RemoteException").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(forged, System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDelegationToken_WithATokenOrUserName_Refused()
    {
        var h = Secure();
        h.Options.WebHdfs.Insecure = true;
        await h.SettleAsync();
        var token = await GetTokenAsync(h);

        var (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "GET", $"/webhdfs/v1/?op=GETDELEGATIONTOKEN&delegation={token}", Peer);
        Assert.Equal((403, "IOException"), (status, ExceptionOf(body)));

        (status, _, body) = await WebHdfsGatewayTests.SendAsync(h, "GET", "/webhdfs/v1/?op=GETDELEGATIONTOKEN&user.name=alice", Peer);
        Assert.Equal((403, "IOException"), (status, ExceptionOf(body)));
    }
}
