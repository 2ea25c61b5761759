using System.Net;
using System.Text.Json;
using Unitization.Hdfs.Journal;
using Unitization.Hdfs.JournalNode;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.TestUtils;

namespace Unitization.Hdfs.Tests.JournalNode;

public sealed class JournalNodeHttpServerTests : IDisposable
{
    private const string Jid = "ns1";
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task GetEditLogManifest_FinalizedAndInProgress_ListedInHadoopsShape()
    {
        await using var node = await StartWithSegmentsAsync();
        using var http = new HttpClient();

        var json = await http.GetStringAsync(new Uri(node.BaseAddress, $"/getEditLogManifest?jid={Jid}&sinceTxId=1"), TestContext.Current.CancellationToken);

        using var doc = JsonDocument.Parse(json);
        var logs = doc.RootElement.GetProperty("logs").EnumerateArray()
            .Select(l => (l.GetProperty("startTxId").GetInt64(), l.GetProperty("endTxId").GetInt64(), l.GetProperty("isInProgress").GetBoolean())).ToList();
        Assert.Equal([(1L, 5L, false), (6L, -12345L, true)], logs);
    }

    [Fact]
    public async Task FindSegmentStartAsync_TheDoublesManifest_NamesTheSegmentHoldingTheTxid()
    {
        await using var node = await StartWithSegmentsAsync();
        using var http = new HttpClient();
        var source = new JournalNodeSegmentSource(http, node.BaseAddress, Jid);

        Assert.Equal(1, await source.FindSegmentStartAsync(3, TestContext.Current.CancellationToken));
        Assert.Equal(6, await source.FindSegmentStartAsync(7, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("/getJournal?jid=ns1&segmentTxId=2", HttpStatusCode.NotFound, "No edit log found starting at txid 2")]
    [InlineData("/getJournal?jid=ns1&segmentTxId=6&inProgressOk=false", HttpStatusCode.NotFound, "No edit log found starting at txid 6")]
    [InlineData("/getJournal?jid=ns1&segmentTxId=x", HttpStatusCode.BadRequest, "segmentTxId 'x' is not a txid")]
    [InlineData("/getJournal?jid=..&segmentTxId=1", HttpStatusCode.BadRequest, "jid '..' is not a journal id")]
    [InlineData("/getJournal?segmentTxId=1", HttpStatusCode.BadRequest, "jid is missing")]
    [InlineData("/getJournal?jid=ns1&segmentTxId=1&storageInfo=-67:7:0:CID-other", HttpStatusCode.Forbidden, "but the requesting node expected '7' and 'CID-other'")]
    [InlineData("/getEditLogManifest?jid=ns1&sinceTxId=-1", HttpStatusCode.BadRequest, "sinceTxId '-1' is not a txid")]
    public async Task Get_BadOrMissing_AnsweredWithTheReason(string query, HttpStatusCode status, string message)
    {
        await using var node = await StartWithSegmentsAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(node.BaseAddress, query), TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJournal_MatchingStorageInfo_ServesTheSegmentNamedInContentDisposition()
    {
        await using var node = await StartWithSegmentsAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(node.BaseAddress, $"/getJournal?jid={Jid}&segmentTxId=1&storageInfo=-67:1:0:CID-unitization"), TestContext.Current.CancellationToken);

        response.EnsureSuccessStatusCode();
        Assert.Equal(SegmentFileName.Finalized(1, 5), response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Join(node.CurrentDirectory(Jid), SegmentFileName.Finalized(1, 5)), TestContext.Current.CancellationToken),
            await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Jmx_JournalBean_LastWrittenTxIdIsTheLastOpOfTheNewestSegment()
    {
        await using var node = await StartWithSegmentsAsync();
        using var http = new HttpClient();

        var json = await http.GetStringAsync(
            new Uri(node.BaseAddress, "/jmx?qry=" + Uri.EscapeDataString($"Hadoop:service=JournalNode,name=Journal-{Jid}")), TestContext.Current.CancellationToken);
        var other = await http.GetStringAsync(
            new Uri(node.BaseAddress, "/jmx?qry=" + Uri.EscapeDataString("Hadoop:service=JournalNode,name=Journal-nope")), TestContext.Current.CancellationToken);

        // segments edits_1-5 and edits_inprogress_6 (OP_START_LOG_SEGMENT at 6, OP_MKDIR at 7)
        using var doc = JsonDocument.Parse(json);
        var bean = Assert.Single(doc.RootElement.GetProperty("beans").EnumerateArray());
        Assert.Equal($"Hadoop:service=JournalNode,name=Journal-{Jid}", bean.GetProperty("name").GetString());
        Assert.Equal($"Journal-{Jid}", bean.GetProperty("modelerType").GetString());
        Assert.Equal(7, bean.GetProperty("LastWrittenTxId").GetInt64());
        Assert.Equal(0, bean.GetProperty("CurrentLagTxns").GetInt64());
        using var none = JsonDocument.Parse(other);
        Assert.Empty(none.RootElement.GetProperty("beans").EnumerateArray());
    }

    [Fact]
    public async Task LastWrittenTxIdAsync_JournalNodeAndItsDirectory_AgreeAndFollowAppends()
    {
        var at = new DateTimeOffset(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);
        using var writer = new JournalWriter(Path.Join(_root.Path, Jid, "current"), segmentOps: 5);
        await using var node = await JournalNodeHttpServer.StartAsync(_root.Path);
        using var http = new HttpClient();
        var overHttp = new JournalNodeSegmentSource(http, node.BaseAddress, Jid);
        var directory = new SharedEditsDirectorySource(node.CurrentDirectory(Jid));
        var ct = TestContext.Current.CancellationToken;

        Assert.Null(await overHttp.LastWrittenTxIdAsync(ct)); // nothing written: the JournalNode's gauge says 0
        Assert.Null(await directory.LastWrittenTxIdAsync(ct));
        for (var i = 1; i <= 6; i++)
        {
            writer.Append(new EditRecord(new TxId(i), EditOp.Mkdirs, $"/d{i}", null, 0, null, at));
            Assert.Equal(writer.LastTxId, await overHttp.LastWrittenTxIdAsync(ct));
            Assert.Equal(writer.LastTxId, await directory.LastWrittenTxIdAsync(ct));
        }
    }

    [Fact]
    public async Task LastWrittenTxIdAsync_SeveralJournalNodes_TheHighestOfAMajority()
    {
        var ct = TestContext.Current.CancellationToken;
        var three = new FailoverSegmentSource([new FixedLastWritten(9), new FixedLastWritten(12), new FixedLastWritten(null)]);
        var oneOfThree = new FailoverSegmentSource([new FixedLastWritten(9), new FixedLastWritten(null), new FixedLastWritten(null, fails: true)]);

        Assert.Equal(12, await three.LastWrittenTxIdAsync(ct));
        var error = await Assert.ThrowsAsync<IOException>(() => oneOfThree.LastWrittenTxIdAsync(ct));
        Assert.Contains("Only 1 of 3 JournalNodes", error.Message, StringComparison.Ordinal);
    }

    private sealed class FixedLastWritten(long? last, bool fails = false) : IEditSegmentSource
    {
        public Task<EditSegment?> FetchAsync(long firstTxId, CancellationToken cancellationToken) => Task.FromResult<EditSegment?>(null);

        public Task<long?> FindSegmentStartAsync(long txId, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

        public Task<long?> LastWrittenTxIdAsync(CancellationToken cancellationToken) =>
            fails ? Task.FromException<long?>(new HttpRequestException("connection refused")) : Task.FromResult(last);
    }

    private async Task<JournalNodeHttpServer> StartWithSegmentsAsync()
    {
        var at = new DateTimeOffset(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);
        using (var writer = new JournalWriter(Path.Join(_root.Path, Jid, "current"), segmentOps: 5))
        {
            for (var i = 1; i <= 4; i++)
            {
                writer.Append(new EditRecord(new TxId(i), EditOp.Mkdirs, $"/d{i}", null, 0, null, at));
            }
        }

        return await JournalNodeHttpServer.StartAsync(_root.Path);
    }
}
