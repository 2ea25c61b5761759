using Unitization.Analytics.Ingest;
using Unitization.Analytics.Traffic;
using Unitization.TestUtils;

namespace Unitization.Analytics.Tests.Ingest;

public sealed class TrafficSpoolTests : IDisposable
{
    private readonly TempDirectory _folder = new("analytics-spool");

    [Fact]
    public void Write_ThenRead_SameRecordsInOrderOfWriting()
    {
        var spool = new TrafficSpool(_folder.Path);
        var a = new TrafficRecord("1", "j", "dcA", "dcB", 1, "read", "client", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)) { ReplicationLagSeconds = 3 };
        var b = a with { Id = "2", Job = "quote'\"\\ é" }; // escapes round-trip (control characters are refused on parse)
        var first = spool.Write([a]);
        var second = spool.Write([b, a]);

        Assert.Equal([first, second], new TrafficSpool(_folder.Path).Pending());
        Assert.Equal([a], TrafficSpool.Read(first));
        Assert.Equal([b, a], TrafficSpool.Read(second));
    }

    [Fact]
    public void Constructor_TornTemporaryFile_RemovedAndNumberingContinues()
    {
        var spool = new TrafficSpool(_folder.Path);
        var record = new TrafficRecord("1", "j", "dcA", "dcB", 1, "read", "client", DateTimeOffset.UnixEpoch);
        var first = spool.Write([record]);
        File.WriteAllText(Path.Combine(_folder.Path, "00000000000000000009.jsonl.tmp"), "{\"id\":");

        var reopened = new TrafficSpool(_folder.Path);
        var next = reopened.Write([record]);

        Assert.Empty(Directory.GetFiles(_folder.Path, "*.tmp"));
        Assert.Equal([first, next], reopened.Pending());
    }

    [Fact]
    public void Read_DamagedLine_ErrorNamesFileAndLine()
    {
        var path = Path.Combine(_folder.Path, "00000000000000000001.jsonl");
        File.WriteAllText(path, "{\"id\":\"x\"}\n");
        var error = Assert.Throws<InvalidDataException>(() => TrafficSpool.Read(path));
        Assert.Contains(path + ":1:", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
