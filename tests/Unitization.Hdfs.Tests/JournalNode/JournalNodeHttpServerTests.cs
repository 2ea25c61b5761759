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
