using System.Text;
using Unitization.DataManager.Lineage;

namespace Unitization.DataManager.Tests.Lineage;

public sealed class LineageParserTests
{
    [Fact]
    public void TryParse_RunEvent_ReadsRunIdBesideTheParentFacet()
    {
        var json = """{"eventTime":"2026-11-20T10:00:00Z","eventType":"COMPLETE","run":{"facets":{"parent":{"job":{"name":"dag"}}},"runId":"r-1"},"job":{"namespace":"spark://c","name":"etl.daily"}}""";

        Assert.True(LineageParser.TryParse(Encoding.UTF8.GetBytes(json), out var parsed, out var error), error);
        Assert.Equal(("r-1", "dag", "COMPLETE"), (parsed!.RunId, parsed.Dag, parsed.EventType));
        Assert.True(parsed.IsTerminal);
    }

    [Fact]
    public void TryParse_JobEvent_IsStaticLineageWithoutRunOrBytes()
    {
        var json = """{"eventTime":"2026-11-20T10:00:00Z","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent","job":{"namespace":"a","name":"b"},"inputs":[{"namespace":"hive://m","name":"x"}]}""";

        Assert.True(LineageParser.TryParse(Encoding.UTF8.GetBytes(json), out var parsed, out var error), error);
        Assert.Equal(LineageEvent.JobEventType, parsed!.EventType);
        Assert.False(parsed.IsTerminal);
        Assert.Null(parsed.RunId);
        var accumulator = new LineageAccumulator();
        accumulator.Add(parsed);
        Assert.Equal([0L], accumulator.DailyIo().Select(io => io.Bytes));
        Assert.Equal([0], accumulator.DailyRuns().Select(r => r.Runs));
    }

    [Fact]
    public void TryParse_DatasetEvent_AnnouncesTheDatasetAndAddsNoJob()
    {
        var json = """{"eventTime":"2026-11-20T10:00:00Z","dataset":{"namespace":"hive://m","name":"export./tmp/export_test","facets":{}}}""";

        Assert.True(LineageParser.TryParse(Encoding.UTF8.GetBytes(json), out var parsed, out var error), error);
        Assert.True(parsed!.IsDatasetEvent);
        Assert.Equal(new DatasetRef("hive://m", "export./tmp/export_test"), Assert.Single(parsed.Outputs).Dataset);
        var accumulator = new LineageAccumulator();
        accumulator.Add(parsed);
        Assert.Empty(accumulator.DailyRuns());
    }

    [Fact]
    public void TryParse_DatasetEventWithoutName_NamesTheField()
    {
        Assert.False(LineageParser.TryParse(Encoding.UTF8.GetBytes("""{"eventTime":"2026-11-20T10:00:00Z","dataset":{"namespace":"h"}}"""), out _, out var error));
        Assert.Contains("dataset.name", error, StringComparison.Ordinal);
    }
}
