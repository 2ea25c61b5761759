using System.Text;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Tests.Traffic;

public sealed class TrafficRecordJsonTests
{
    private const string Valid =
        """{"id":"r1","job":"etl.daily","sourceDatacenter":"dcA","destinationDatacenter":"dcB","bytes":123,"operation":"read","component":"router","time":"2026-01-02T03:04:05+02:00","extra":{"x":[1,2]}}""";

    [Fact]
    public void TryParse_ValidRecordWithUnknownFields_ReadsEveryFieldInUtc()
    {
        Assert.True(TrafficRecordJson.TryParse(Encoding.UTF8.GetBytes(Valid), out var record, out var error), error);
        Assert.Equal(new TrafficRecord("r1", "etl.daily", "dcA", "dcB", 123, "read", "router", new DateTimeOffset(2026, 1, 2, 1, 4, 5, TimeSpan.Zero)), record);
        Assert.Equal(TimeSpan.Zero, record!.Time.Offset);
        Assert.True(record.CrossesDatacenters);
    }

    [Fact]
    public void Serialize_ThenParse_RoundTripsIncludingLag()
    {
        var record = new TrafficRecord("r2", "copy", "dcA", "dcB", 5, "copy", "replicator", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)) { ReplicationLagSeconds = 2.5 };
        Assert.True(TrafficRecordJson.TryParse(TrafficRecordJson.Serialize(record), out var back, out _));
        Assert.Equal(record, back);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("""{"id":"x","job":"j\u0000b","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""", "field 'job' contains the control character U+0000")]
    [InlineData("""{"id":"x","job":"j","sourceDatacenter":"a\u0085","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""", "field 'sourceDatacenter' contains the control character U+0085")]
    [InlineData("[1,2]", "a traffic record is a JSON object")]
    [InlineData("""{"job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""", "field 'id' is missing")]
    [InlineData("""{"id":"x","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":-1,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""", "field 'bytes' must be a non-negative integer")]
    [InlineData("""{"id":"x","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":"7","operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""", "field 'bytes' must be a non-negative integer")]
    [InlineData("""{"id":"x","job":"","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""", "field 'job' is empty")]
    [InlineData("""{"id":"x","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"yesterday"}""", "field 'time' must be an ISO 8601 timestamp")]
    [InlineData("""{"id":"x","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"1969-12-31T23:59:59Z"}""", "field 'time' must lie between 1970-01-01 and 2106-02-07")]
    [InlineData("""{"id":"x","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"printer","time":"2026-01-01T00:00:00Z"}""", "field 'component' is 'printer'")]
    [InlineData("""{"id":"x","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z","replicationLagSeconds":-3}""", "field 'replicationLagSeconds' must be a non-negative number")]
    [InlineData("""{"id":7,"job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""", "field 'id' must be a string")]
    public void TryParse_MalformedRecord_ReasonNamesTheProblem(string json, string reason)
    {
        Assert.False(TrafficRecordJson.TryParse(Encoding.UTF8.GetBytes(json), out var record, out var error));
        Assert.Null(record);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadMessage_JsonLinesWithOneBadLine_KeepsTheOthersAndNamesTheLine()
    {
        var second = Valid.Replace("\"r1\"", "\"r2\"", StringComparison.Ordinal);
        var message = Encoding.UTF8.GetBytes(Valid + "\n{\"id\":\"r3\",\"bytes\":-1}\n\n" + second + "\n");
        var records = new List<TrafficRecord>();
        var errors = new List<TrafficLineError>();

        TrafficRecordJson.ReadMessage(message, records, errors);

        Assert.Equal(["r1", "r2"], records.Select(r => r.Id));
        var error = Assert.Single(errors);
        Assert.Equal(2, error.Line);
        Assert.Equal("{\"id\":\"r3\",\"bytes\":-1}", Encoding.UTF8.GetString(message, error.Start, error.Length));
        Assert.StartsWith("line 2: field 'bytes' must be a non-negative integer", error.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("job")]
    [InlineData("operation")]
    public void ReadMessage_InvalidUtf8InAText_ThatLineRefusedNamingTheFieldAndTheOthersRead(string field)
    {
        // a lone 0xC3 (the first byte of a two-byte character) inside the value: JSON-valid bytes, not UTF-8 text
        var bad = Encoding.UTF8.GetBytes(Valid.Replace("\"" + field + "\":\"", "\"" + field + "\":\"x", StringComparison.Ordinal)).ToList();
        bad.Insert(Encoding.UTF8.GetBytes(Valid).AsSpan().IndexOf(Encoding.UTF8.GetBytes("\"" + field + "\":\"")) + field.Length + 5, 0xC3);
        var message = Encoding.UTF8.GetBytes(Valid + "\n").Concat(bad).Concat(Encoding.UTF8.GetBytes("\n" + Valid.Replace("\"r1\"", "\"r2\"", StringComparison.Ordinal) + "\n")).ToArray();
        var records = new List<TrafficRecord>();
        var errors = new List<TrafficLineError>();

        TrafficRecordJson.ReadMessage(message, records, errors);

        Assert.Equal(["r1", "r2"], records.Select(r => r.Id));
        Assert.Equal($"line 2: field '{field}' is not valid UTF-8", Assert.Single(errors).Describe());
    }

    [Fact]
    public void ReadMessage_OneBadRecordWithTrailingNewline_IsTheWholeMessage()
    {
        var message = Encoding.UTF8.GetBytes("{\"id\":\"x\"}\n");
        var records = new List<TrafficRecord>();
        var errors = new List<TrafficLineError>();

        TrafficRecordJson.ReadMessage(message, records, errors);

        Assert.Empty(records);
        var error = Assert.Single(errors);
        Assert.Equal(0, error.Line);
        Assert.Equal(message.Length, error.Length);
        Assert.Equal("field 'job' is missing", error.Describe());
    }

    [Fact]
    public void TryParse_RepeatedTexts_SharedButEscapedTextsDecoded()
    {
        Assert.True(TrafficRecordJson.TryParse(Encoding.UTF8.GetBytes(Valid), out var first, out _));
        Assert.True(TrafficRecordJson.TryParse(Encoding.UTF8.GetBytes(Valid.Replace("\"r1\"", "\"r9\"", StringComparison.Ordinal)), out var second, out _));
        Assert.Same(first!.Job, second!.Job);
        var escaped = Valid.Replace("etl.daily", "etl\\u002Edaily", StringComparison.Ordinal).Replace("\"job\"", "\"j\\u006fb\"", StringComparison.Ordinal);
        Assert.True(TrafficRecordJson.TryParse(Encoding.UTF8.GetBytes(escaped), out var third, out _));
        Assert.Equal("etl.daily", third!.Job);
    }

    [Theory]
    [InlineData("2026-01-02T03:04:05Z", "2026-01-02T03:04:05+00:00")]
    [InlineData("2026-01-02T03:04:05+00:00", "2026-01-02T03:04:05+00:00")]
    [InlineData("2026-01-02T03:04:05.250Z", "2026-01-02T03:04:05.2500000+00:00")]
    [InlineData("2026-01-02T05:04:05+02:00", "2026-01-02T03:04:05+00:00")]
    [InlineData("2024-02-29T23:59:59Z", "2024-02-29T23:59:59+00:00")]
    public void TryParse_Times_ReadInUtcWhateverTheShape(string text, string expected)
    {
        var json = Valid.Replace("2026-01-02T03:04:05+02:00", text, StringComparison.Ordinal);
        Assert.True(TrafficRecordJson.TryParse(Encoding.UTF8.GetBytes(json), out var record, out var error), error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), record!.Time);
        Assert.Equal(TimeSpan.Zero, record.Time.Offset);
    }

    [Theory]
    [InlineData("2026-02-30T03:04:05Z")]
    [InlineData("2026-13-02T03:04:05Z")]
    [InlineData("2026-01-02T24:04:05Z")]
    [InlineData("2026-01-02 03:04:05Z")]
    [InlineData("2026-01-0xT03:04:05Z")]
    public void TryParse_ImpossibleTimes_Refused(string text)
    {
        var json = Valid.Replace("2026-01-02T03:04:05+02:00", text, StringComparison.Ordinal);
        Assert.False(TrafficRecordJson.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Contains("field 'time'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteLines_ThenReadMessage_RoundTripsEveryRecordInOrder()
    {
        var time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        TrafficRecord[] records =
        [
            new("a", "j1", "dcA", "dcB", 1, "read", "router", time),
            new("b", "j2", "dcB", "dcA", 2, "copy", "replicator", time) { ReplicationLagSeconds = 1.5 },
            new("c", "j1", "dcA", "dcA", 3, "write", "client", time),
        ];
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        TrafficRecordJson.WriteLines(buffer, records);

        Assert.Equal(3, buffer.WrittenSpan.Count((byte)'\n'));
        var back = new List<TrafficRecord>();
        var errors = new List<TrafficLineError>();
        TrafficRecordJson.ReadMessage(buffer.WrittenSpan, back, errors);
        Assert.Empty(errors);
        Assert.Equal(records, back);
    }
}
