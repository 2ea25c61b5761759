using Unitization.DataManager.Lineage;
using Unitization.TestUtils;

namespace Unitization.DataManager.Tests.Lineage;

public class LineageFileTests
{
    private const string Good = """{"eventType":"COMPLETE","eventTime":"2026-11-20T10:00:00Z","job":{"namespace":"airflow","name":"sales.daily"},"inputs":[{"namespace":"hive://metastore","name":"sales.orders","inputFacets":{"inputStatistics":{"size":700}}}],"outputs":[{"namespace":"hive://metastore","name":"sales.revenue","outputFacets":{"outputStatistics":{"size":70}},"facets":{"unknown":{"x":1}}}]}""";

    [Fact]
    public void Read_MalformedLines_AreReportedByLineAndFieldAndTheRestIsRead()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("lineage.jsonl");
        File.WriteAllLines(path,
        [
            Good,
            "{not json",
            """{"eventTime":"2026-11-20T10:00:00Z","job":{"namespace":"airflow"}}""",
            """{"eventTime":"yesterday","job":{"namespace":"a","name":"b"}}""",
            """{"eventTime":"2026-11-21T10:00:00Z","job":{"namespace":"a","name":"b"},"inputs":[{"namespace":"h","name":"x","inputFacets":{"inputStatistics":{"size":-1}}}]}""",
            "",
            Good.Replace("2026-11-20", "2026-11-21", StringComparison.Ordinal),
        ]);
        var accumulator = new LineageAccumulator();
        var result = LineageFile.Read(path, accumulator);
        Assert.Equal(2, result.Accepted);
        Assert.Equal(4, result.Skipped);
        Assert.Contains($"{path}:2: not valid JSON", result.Errors[0], StringComparison.Ordinal);
        Assert.Equal($"{path}:3: field 'job.name': missing", result.Errors[1]);
        Assert.Contains("field 'eventTime'", result.Errors[2], StringComparison.Ordinal);
        Assert.Contains("field 'inputs[0].inputFacets.inputStatistics.size'", result.Errors[3], StringComparison.Ordinal);

        // two days of 700 read / 70 written: per day 700 and 70
        var snapshot = accumulator.Snapshot(7);
        Assert.Equal(2, snapshot.Days);
        Assert.Equal([700.0], snapshot.ReadBytesPerDay);
        Assert.Equal([70.0], snapshot.WriteBytesPerDay);
        Assert.Equal(["sales"], snapshot.Dags);
        Assert.Equal([2], snapshot.Runs);
    }

    [Fact]
    public void Snapshot_Window_CountsOnlyTheLastDaysButKeepsEveryEntity()
    {
        var accumulator = new LineageAccumulator();
        var job = new JobRef("a", "j");
        accumulator.Add(new LineageEvent("COMPLETE", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), job, "j", [new(new DatasetRef("h", "old"), 1000)], []));
        accumulator.Add(new LineageEvent("COMPLETE", new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero), job, "j", [new(new DatasetRef("h", "new"), 300)], []));
        accumulator.Add(new LineageEvent("START", new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero), job, "j", [new(new DatasetRef("h", "new"), 999)], []));
        var snapshot = accumulator.Snapshot(3);
        Assert.Equal(3, snapshot.Days);
        Assert.Equal(2, snapshot.Datasets.Length);
        Assert.Equal([0.0, 100.0], snapshot.ReadBytesPerDay);
        Assert.Equal([1], snapshot.Runs);
    }

    [Fact]
    public void Read_ByteOrderMarkCrLfAndAnyPropertyOrder_ReadsTheEvents()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("lineage.jsonl");
        var reordered = """{"outputs":[],"inputs":[{"inputFacets":{"inputStatistics":{"rowCount":3,"size":40}},"name":"sales.orders","namespace":"hive://metastore"}],"job":{"name":"sales.daily","namespace":"airflow"},"eventTime":"2026-11-20T11:00:00Z","eventType":"complete"}""";
        File.WriteAllText(path, Good + "\r\n" + reordered + "\r\n" + """{"eventTime":"2026-11-20T10:00:00Z"} trailing""", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var accumulator = new LineageAccumulator();
        var result = LineageFile.Read(path, accumulator);
        Assert.Equal(2, result.Accepted);
        Assert.Equal(1, result.Skipped);
        Assert.StartsWith($"{path}:3: not valid JSON", result.Errors[0], StringComparison.Ordinal);
        Assert.Equal([740.0], accumulator.Snapshot(7).ReadBytesPerDay);
    }

    [Fact]
    public void Parse_ErrorsAreCheckedInFieldOrder_WhateverThePropertyOrder()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""{"inputs":[{"namespace":"h"}],"job":{"name":"t1"},"eventTime":"2026-11-20T10:00:00Z"}""");
        Assert.False(LineageParser.TryParse(document.RootElement, out _, out var error));
        Assert.Equal("field 'job.namespace': missing", error);
        Assert.False(LineageParser.TryParse("""{"eventTime":"2026-11-20T10:00:00Z","job":{"namespace":"a","name":"b"},"outputs":{}}"""u8, out _, out error));
        Assert.Equal("field 'outputs': expected an array", error);
        Assert.False(LineageParser.TryParse("[1]"u8, out _, out error));
        Assert.Equal("expected a RunEvent object, found Array", error);
    }

    [Fact]
    public void Parse_ControlCharacterInAJobOrDatasetName_IsAnErrorNamingTheField()
    {
        Assert.False(LineageParser.TryParse("""{"eventTime":"2026-11-20T10:00:00Z","job":{"namespace":"a","name":"t\u0000b"}}"""u8, out _, out var error));
        Assert.Equal("field 'job.name': contains a control character", error);
        Assert.False(LineageParser.TryParse("""{"eventTime":"2026-11-20T10:00:00Z","job":{"namespace":"a","name":"t"},"inputs":[{"namespace":"h\u001f","name":"x"}]}"""u8, out _, out error));
        Assert.Equal("field 'inputs[0].namespace': contains a control character", error);
    }

    [Fact]
    public void Parse_ParentFacet_GivesTheDag()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""{"eventTime":"2026-11-20T10:00:00Z","job":{"namespace":"a","name":"t1"},"run":{"facets":{"parent":{"job":{"namespace":"a","name":"nightly"}}}}}""");
        Assert.True(LineageParser.TryParse(document.RootElement, out var parsed, out _));
        Assert.Equal("nightly", parsed!.Dag);
    }
}
