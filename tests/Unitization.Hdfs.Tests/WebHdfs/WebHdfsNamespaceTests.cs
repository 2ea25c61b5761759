using System.Net;
using System.Text;
using System.Web;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Unitization.Hdfs.WebHdfs;

namespace Unitization.Hdfs.Tests.WebHdfs;

public sealed class WebHdfsNamespaceTests
{
    private static readonly WebHdfsRetry NoWait = new(BaseDelayValue: TimeSpan.Zero, MaxDelayValue: TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WebHdfsNamespace Namespace(WebHdfsDouble hdfs, WebHdfsAuth? auth = null, TimeProvider? time = null, params Uri[] nameNodes) =>
        new("dcB", nameNodes.Length > 0 ? nameNodes : [WebHdfsDouble.Nn1, WebHdfsDouble.Nn2], auth ?? WebHdfsAuth.Simple("hive"), hdfs, time ?? new FakeTimeProvider(), NullLogger.Instance, NoWait);

    private static Func<Stream, CancellationToken, Task> Bytes(byte[] data) => (s, ct) => s.WriteAsync(data, ct).AsTask();

    private static List<string> Ops(WebHdfsDouble hdfs) =>
        [.. hdfs.Requests.Select(r => $"{r.Uri.Host} {HttpUtility.ParseQueryString(r.Uri.Query)["op"]}")];

    [Fact]
    public async Task CreateAsync_TwoSteps_StagedSiblingThenOneRename()
    {
        var hdfs = new WebHdfsDouble();
        var ns = Namespace(hdfs);
        var edit = await ns.CreateAsync("/warehouse/t/part-0", Bytes([1, 2, 3]), overwrite: false, Ct);

        Assert.Equal([1, 2, 3], hdfs.Read("/warehouse/t/part-0"));
        Assert.Equal(3, edit.Size);
        Assert.DoesNotContain(hdfs.Paths(), p => p.EndsWith(WebHdfsNamespace.CopyingSuffix, StringComparison.Ordinal));
        var create = hdfs.Requests.First(r => r.Uri.Query.Contains("op=CREATE", StringComparison.Ordinal) && r.Uri.Host == "nn1.test");
        Assert.StartsWith("/webhdfs/v1/warehouse/t/.part-0.", create.Uri.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("overwrite=false", create.Uri.Query, StringComparison.Ordinal);
        Assert.Contains("dn1.test CREATE", Ops(hdfs));
        var rename = hdfs.Requests.Single(r => r.Uri.Query.Contains("op=RENAME", StringComparison.Ordinal)).Uri;
        Assert.Equal("/warehouse/t/part-0", HttpUtility.ParseQueryString(rename.Query)["destination"]);
        Assert.Equal("NONE", HttpUtility.ParseQueryString(rename.Query)["renameoptions"]);
    }

    [Fact]
    public async Task CreateAsync_ExistsWithoutOverwrite_IOExceptionNamingPath()
    {
        var hdfs = new WebHdfsDouble();
        hdfs.Put("/d/f", [9]);
        var error = await Assert.ThrowsAsync<IOException>(() => Namespace(hdfs).CreateAsync("/d/f", Bytes([1]), overwrite: false, Ct));
        Assert.Contains("dcB:/d/f", error.Message, StringComparison.Ordinal);
        Assert.Equal([9], hdfs.Read("/d/f"));
    }

    [Fact]
    public async Task CreateAsync_Overwrite_ReplacedByOneRenameWithOverwrite()
    {
        var hdfs = new WebHdfsDouble();
        hdfs.Put("/d/f", [9]);
        var seen = new List<byte[]?>();
        hdfs.OnDataWrite = _ => seen.Add(hdfs.Read("/d/f"));
        await Namespace(hdfs).CreateAsync("/d/f", Bytes([1, 2]), overwrite: true, Ct);
        Assert.Equal([1, 2], hdfs.Read("/d/f"));
        Assert.Equal([9], Assert.Single(seen)); // while the bytes were written the old file was whole
        Assert.Contains("renameoptions=OVERWRITE", hdfs.Requests.Single(r => r.Uri.Query.Contains("op=RENAME", StringComparison.Ordinal)).Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_WriterFails_StagedFileRemovedNothingPublished()
    {
        var hdfs = new WebHdfsDouble();
        var ns = Namespace(hdfs);
        await Assert.ThrowsAsync<InvalidDataException>(() => ns.CreateAsync("/d/f", async (s, ct) =>
        {
            await s.WriteAsync(new byte[] { 1 }, ct);
            throw new InvalidDataException("source broke");
        }, overwrite: false, Ct));
        Assert.False(hdfs.Exists("/d/f"));
        Assert.DoesNotContain(hdfs.Paths(), p => p.Contains("_COPYING_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_ReplicatorStaging_WrittenInPlaceWithoutRename()
    {
        var hdfs = new WebHdfsDouble();
        var edit = await Namespace(hdfs).CreateAsync("/.unitization/staging/w1/abc/part-0", Bytes([1, 2, 3]), overwrite: true, Ct);

        Assert.Equal([1, 2, 3], hdfs.Read("/.unitization/staging/w1/abc/part-0"));
        Assert.Equal(3, edit.Size);
        Assert.Null(edit.Checksum); // HDFS logs none with a create; GETFILECHECKSUM gives it
        Assert.Equal(["nn1.test CREATE", "dn1.test CREATE"], Ops(hdfs));
        Assert.Contains("overwrite=true", hdfs.Requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Equal("/webhdfs/v1/.unitization/staging/w1/abc/part-0", hdfs.Requests[0].Uri.AbsolutePath);
    }

    [Fact]
    public async Task CreateAsync_ReplicatorStagingWriterFails_PartialFileDeleted()
    {
        var hdfs = new WebHdfsDouble();
        await Assert.ThrowsAsync<InvalidDataException>(() => Namespace(hdfs).CreateAsync("/.unitization/staging/w1/f", async (s, ct) =>
        {
            await s.WriteAsync(new byte[] { 1 }, ct);
            throw new InvalidDataException("source broke");
        }, overwrite: true, Ct));
        Assert.False(hdfs.Exists("/.unitization/staging/w1/f"));
        Assert.Contains("nn1.test DELETE", Ops(hdfs));
    }

    [Fact]
    public async Task CreateAsync_ReplicatorStagingExistsWithoutOverwrite_ExistingFileKept()
    {
        var hdfs = new WebHdfsDouble();
        hdfs.Put("/.unitization/staging/w1/f", [9]);
        var error = await Assert.ThrowsAsync<IOException>(() => Namespace(hdfs).CreateAsync("/.unitization/staging/w1/f", Bytes([1]), overwrite: false, Ct));
        Assert.Contains("dcB:/.unitization/staging/w1/f", error.Message, StringComparison.Ordinal);
        Assert.Equal([9], hdfs.Read("/.unitization/staging/w1/f"));
    }

    [Fact]
    public async Task OpenReadAsync_OffsetAndLength_FollowsTheDataNode()
    {
        var hdfs = new WebHdfsDouble();
        hdfs.Put("/d/f", Encoding.ASCII.GetBytes("0123456789"));
        var ns = Namespace(hdfs);
        await using var stream = await ns.OpenReadAsync("/d/f", 3, 4, Ct);
        using var reader = new StreamReader(stream);
        Assert.Equal("3456", await reader.ReadToEndAsync(Ct));
        Assert.Equal(["nn1.test OPEN", "dn1.test OPEN"], Ops(hdfs));
        var dn = hdfs.Requests[1].Uri.Query;
        Assert.Contains("offset=3", dn, StringComparison.Ordinal);
        Assert.Contains("length=4", dn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenReadAsync_Missing_FileNotFound()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => Namespace(new WebHdfsDouble()).OpenReadAsync("/nope", Ct));
        Assert.Contains("dcB:/nope (OPEN)", error.Message, StringComparison.Ordinal);
        Assert.IsType<WebHdfsRemoteException>(error.InnerException);
    }

    [Fact]
    public async Task ListAsync_LargeDirectory_PagedWithStartAfter()
    {
        var hdfs = new WebHdfsDouble { BatchLimit = 3 };
        for (var i = 0; i < 10; i++)
        {
            hdfs.Put($"/big/f{i:D2}", [(byte)i]);
        }

        var names = new List<string>();
        await foreach (var entry in Namespace(hdfs).ListAsync("/big", Ct))
        {
            names.Add(entry.Path);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"/big/f{i:D2}"), names);
        var pages = hdfs.Requests.Where(r => r.Uri.Query.Contains("LISTSTATUS_BATCH", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, pages.Count);
        Assert.Equal([null, "f02", "f05", "f08"], pages.Select(p => HttpUtility.ParseQueryString(p.Uri.Query)["startAfter"]));
    }

    [Fact]
    public async Task ListAsync_NoBatchOp_FallsBackToListStatusOnce()
    {
        var hdfs = new WebHdfsDouble { BatchSupported = false };
        hdfs.Put("/d/a", [1]);
        hdfs.Put("/d/b", [2]);
        var ns = Namespace(hdfs);
        for (var round = 0; round < 2; round++)
        {
            var names = new List<string>();
            await foreach (var entry in ns.ListAsync("/d", Ct))
            {
                names.Add(entry.Path);
            }

            Assert.Equal(["/d/a", "/d/b"], names);
        }

        Assert.Single(hdfs.Requests, r => r.Uri.Query.Contains("LISTSTATUS_BATCH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListAsync_StagedFilesAndInternalFolder_Hidden()
    {
        var hdfs = new WebHdfsDouble();
        hdfs.Put("/.unitization/staging/x", [1]);
        hdfs.Put("/d/.f.0123._COPYING_", [1]);
        hdfs.Put("/d/f", [1]);
        var ns = Namespace(hdfs);
        var root = new List<string>();
        await foreach (var entry in ns.ListAsync("/", Ct))
        {
            root.Add(entry.Path);
        }

        var d = new List<string>();
        await foreach (var entry in ns.ListAsync("/d", Ct))
        {
            d.Add(entry.Path);
        }

        Assert.Equal(["/d"], root);
        Assert.Equal(["/d/f"], d);
    }

    [Fact]
    public async Task StatusRenameDeleteMkdirs_HdfsAnswers_MappedToTheContract()
    {
        var hdfs = new WebHdfsDouble();
        hdfs.Put("/d/f", [1, 2]);
        hdfs.Put("/e/g", [3]);
        var ns = Namespace(hdfs);

        Assert.Null(await ns.GetStatusAsync("/none", Ct));
        var status = await ns.GetStatusAsync("/d/f", Ct);
        Assert.Equal(("/d/f", false, 2L), (status!.Path, status.IsDirectory, status.Length));
        Assert.Null(await ns.MkdirsAsync("/d", Ct));
        Assert.NotNull(await ns.MkdirsAsync("/new/dir", Ct));
        Assert.True(hdfs.Exists("/new/dir"));

        await Assert.ThrowsAsync<FileNotFoundException>(() => ns.RenameAsync("/none", "/x", Ct));
        var exists = await Assert.ThrowsAsync<IOException>(() => ns.RenameAsync("/d", "/e", Ct));
        Assert.Contains("already exists", exists.Message, StringComparison.Ordinal);
        Assert.True(hdfs.Exists("/d/f")); // not moved into /e as the old rename would
        await ns.RenameAsync("/d", "/moved", Ct);
        Assert.Equal([1, 2], hdfs.Read("/moved/f"));

        await Assert.ThrowsAsync<IOException>(() => ns.DeleteAsync("/e", recursive: false, Ct));
        Assert.NotNull(await ns.DeleteAsync("/e", recursive: true, Ct));
        Assert.Null(await ns.DeleteAsync("/e", recursive: true, Ct));

        var when = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await ns.SetTimesAsync("/moved/f", when, Ct);
        Assert.Equal(when, (await ns.GetStatusAsync("/moved/f", Ct))!.ModificationTime);

        var summary = await ns.GetContentSummaryAsync("/moved", Ct);
        Assert.Equal((1L, 1L, 2L, 6L), (summary.DirectoryCount, summary.FileCount, summary.Length, summary.SpaceConsumed));
    }

    [Fact]
    public async Task GetChecksumAsync_HdfsAnswer_PassedThroughWithFileLength()
    {
        var hdfs = new WebHdfsDouble();
        var data = Enumerable.Range(0, 2600).Select(i => (byte)(((i * 31) + 7) % 251)).ToArray();
        hdfs.Put("/d/f", data);
        var checksum = await Namespace(hdfs).GetChecksumAsync("/d/f", Ct);
        Assert.Equal(new Namespaces.FileChecksum("MD5-of-2MD5-of-512CRC32C", "0000020000000000000000021d56291c966995483b24e28e2bea7333", 2600), checksum);
        Assert.Contains("dn1.test GETFILECHECKSUM", Ops(hdfs)); // a NameNode sends GETFILECHECKSUM to a DataNode
    }

    [Fact]
    public async Task NameNodeStep_FirstIsStandby_FailsOverAndRemembersTheActive()
    {
        var hdfs = new WebHdfsDouble { ActiveHost = "nn2.test" };
        hdfs.Put("/d/f", [1]);
        var ns = Namespace(hdfs);
        Assert.NotNull(await ns.GetStatusAsync("/d/f", Ct));
        Assert.NotNull(await ns.GetStatusAsync("/d/f", Ct));
        Assert.Equal(["nn1.test GETFILESTATUS", "nn2.test GETFILESTATUS", "nn2.test GETFILESTATUS"], Ops(hdfs));
        Assert.Equal(WebHdfsDouble.Nn2, ns.ActiveNameNode);

        hdfs.ActiveHost = "nn1.test"; // a failover back
        await ns.CreateAsync("/d/g", Bytes([7]), overwrite: false, Ct);
        Assert.Equal([7], hdfs.Read("/d/g"));
        Assert.Equal(WebHdfsDouble.Nn1, ns.ActiveNameNode);
    }

    [Fact]
    public async Task NameNodeStep_ConnectionRefused_FailsOver()
    {
        var hdfs = new WebHdfsDouble { ActiveHost = "nn2.test" };
        hdfs.Down.Add("nn1.test");
        hdfs.Put("/d/f", [1]);
        Assert.NotNull(await Namespace(hdfs).GetStatusAsync("/d/f", Ct));
        Assert.Equal(["nn1.test GETFILESTATUS", "nn2.test GETFILESTATUS"], Ops(hdfs));
    }

    [Fact]
    public async Task NameNodeStep_Retriable_RetriesTheSameNameNode()
    {
        var hdfs = new WebHdfsDouble { RetriableLeft = 2 };
        hdfs.Put("/d/f", [1]);
        Assert.NotNull(await Namespace(hdfs).GetStatusAsync("/d/f", Ct));
        Assert.Equal(["nn1.test GETFILESTATUS", "nn1.test GETFILESTATUS", "nn1.test GETFILESTATUS"], Ops(hdfs));
    }

    [Fact]
    public void Backoff_Exponential_CappedAtMax()
    {
        var retry = new WebHdfsRetry();
        Assert.Equal(
            [500, 1000, 2000, 4000, 8000, 15000, 15000],
            Enumerable.Range(1, 7).Select(r => (int)retry.Backoff(r).TotalMilliseconds));
    }

    [Fact]
    public async Task NameNodeStep_AllDown_IOExceptionNamingEveryNameNode()
    {
        var hdfs = new WebHdfsDouble();
        hdfs.Down.UnionWith(["nn1.test", "nn2.test"]);
        var error = await Assert.ThrowsAsync<IOException>(() => Namespace(hdfs).GetStatusAsync("/d", Ct));
        Assert.Contains("nn1.test:9870, nn2.test:9870", error.Message, StringComparison.Ordinal);
        Assert.Equal(15, hdfs.Requests.Count);
    }

    [Fact]
    public async Task HttpFs_OneHostOneStepReads_CreateRedirectedToItselfWithData()
    {
        var hdfs = new WebHdfsDouble { HttpFs = true };
        var ns = Namespace(hdfs, nameNodes: WebHdfsDouble.HttpFsHost);
        await ns.CreateAsync("/d/f", Bytes([5, 6, 7]), overwrite: false, Ct);
        await using (var stream = await ns.OpenReadAsync("/d/f", 1, null, Ct))
        {
            var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, Ct);
            Assert.Equal([6, 7], buffer.ToArray());
        }

        Assert.Equal("MD5-of-0MD5-of-512CRC32C", (await ns.GetChecksumAsync("/d/f", Ct)).Algorithm);
        Assert.All(hdfs.Requests, r => Assert.Equal("httpfs.test", r.Uri.Host));
        Assert.Contains(hdfs.Requests, r => r.Method == HttpMethod.Put && r.Uri.Query.Contains("data=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SimpleAuth_UserNameOnEveryRequest()
    {
        var hdfs = new WebHdfsDouble { RequiredUser = "hive" };
        var ns = Namespace(hdfs);
        await ns.CreateAsync("/d/f", Bytes([1]), overwrite: false, Ct);
        await using (await ns.OpenReadAsync("/d/f", Ct))
        {
        }

        Assert.All(hdfs.Requests, r => Assert.Equal("hive", HttpUtility.ParseQueryString(r.Uri.Query)["user.name"]));
        var wrong = Namespace(hdfs, WebHdfsAuth.Simple("mallory"));
        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => wrong.GetStatusAsync("/d/f", Ct));
        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BearerToken_ForAGateway_OnEveryStepIncludingTheDataNodes()
    {
        var hdfs = new WebHdfsDouble();
        var ns = Namespace(hdfs, WebHdfsAuth.Simple("hive") with { BearerToken = "unz_gateway" });
        await ns.CreateAsync("/d/f", Bytes([1]), overwrite: false, Ct);
        await using (await ns.OpenReadAsync("/d/f", Ct))
        {
        }

        Assert.Contains(hdfs.Requests, r => r.Uri.Host == "dn1.test");
        Assert.All(hdfs.Authorizations, a => Assert.Equal("Bearer unz_gateway", a));
        Assert.Throws<ArgumentException>(() => (WebHdfsAuth.Kerberos() with { BearerToken = "x" }).Validate());
    }

    [Fact]
    public async Task DelegationToken_OnEveryRequest_InvalidTokenIsUnauthorized()
    {
        var hdfs = new WebHdfsDouble { RequiredToken = "tok-1" };
        var ns = Namespace(hdfs, WebHdfsAuth.Token("tok-1"));
        await ns.CreateAsync("/d/f", Bytes([1]), overwrite: false, Ct);
        Assert.All(hdfs.Requests, r =>
        {
            var query = HttpUtility.ParseQueryString(r.Uri.Query);
            Assert.Equal("tok-1", query["delegation"]);
            Assert.Null(query["user.name"]);
        });

        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Namespace(hdfs, WebHdfsAuth.Token("stale")).GetStatusAsync("/d/f", Ct));
        Assert.Contains("InvalidToken", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("stale", error.Message, StringComparison.Ordinal); // tokens never in messages
    }

    [Fact]
    public async Task Kerberos_FetchesTokenOnceThenRenewsWhenDue()
    {
        var hdfs = new WebHdfsDouble();
        hdfs.RequiredToken = hdfs.IssuedToken;
        var time = new FakeTimeProvider();
        var ns = Namespace(hdfs, WebHdfsAuth.Kerberos(fetchToken: true, renewer: "yarn"), time);
        hdfs.Put("/d/f", [1]);
        await ns.GetStatusAsync("/d/f", Ct);
        await ns.GetStatusAsync("/d/f", Ct);
        Assert.Equal(1, hdfs.TokensIssued);
        Assert.Equal("yarn", HttpUtility.ParseQueryString(hdfs.Requests[0].Uri.Query)["renewer"]);
        Assert.Equal(0, hdfs.Renewals);

        time.Advance(WebHdfsClient.TokenRenewInterval + TimeSpan.FromMinutes(1));
        await ns.GetStatusAsync("/d/f", Ct);
        Assert.Equal((1, 1), (hdfs.TokensIssued, hdfs.Renewals));
    }

    [Fact]
    public void CreateHandler_Kerberos_NegotiatesWithTheTicketCacheAndNeverFollowsRedirects()
    {
        using var kerberos = WebHdfsHttp.CreateHandler(WebHdfsAuth.Kerberos());
        Assert.Same(CredentialCache.DefaultCredentials, kerberos.Credentials);
        Assert.False(kerberos.AllowAutoRedirect);
        using var simple = WebHdfsHttp.CreateHandler(WebHdfsAuth.Simple("hive"));
        Assert.Null(simple.Credentials);
        Assert.False(simple.AllowAutoRedirect);
    }

    [Fact]
    public void Validate_MissingUserOrToken_ArgumentNamingTheField()
    {
        Assert.Contains("Auth.User", Assert.Throws<ArgumentException>(() => new WebHdfsAuth(WebHdfsAuthMode.Simple).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("Auth.DelegationToken", Assert.Throws<ArgumentException>(() => new WebHdfsAuth(WebHdfsAuthMode.DelegationToken).Validate()).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Namespace(new WebHdfsDouble(), nameNodes: new Uri("ftp://nn1:21")));
    }

    [Fact]
    public void Map_RemoteExceptions_ClearDotNetExceptions()
    {
        static WebHdfsRemoteException Remote(string name, string java) => new(HttpStatusCode.Forbidden, name, java, "msg", new Uri("http://nn1:9870/webhdfs/v1/x?op=OPEN&delegation=secret"));
        Assert.IsType<UnauthorizedAccessException>(WebHdfsErrors.Map("dcB", "OPEN", "/x", Remote("AccessControlException", "org.apache.hadoop.security.AccessControlException")));
        Assert.IsType<IOException>(WebHdfsErrors.Map("dcB", "CREATE", "/x", Remote("FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException")));
        Assert.IsType<NotSupportedException>(WebHdfsErrors.Map("dcB", "X", "/x", Remote("UnsupportedOperationException", "java.lang.UnsupportedOperationException")));
        Assert.IsType<ArgumentException>(WebHdfsErrors.Map("dcB", "X", "/x", Remote("IllegalArgumentException", "java.lang.IllegalArgumentException")));
        var secret = Remote("IOException", "java.io.IOException");
        Assert.DoesNotContain("secret", secret.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionsAndExchange_NotOverWebHdfs_NotSupportedSayingWhere()
    {
        var ns = Namespace(new WebHdfsDouble());
        Assert.Contains("JournalFollowedNamespace", Assert.Throws<NotSupportedException>(() => ns.LastTxId).Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => ns.EditsSinceAsync(default, false, Ct));
        await Assert.ThrowsAsync<NotSupportedException>(() => ns.ExchangeAsync("/a", "/b", Ct));
    }
}
