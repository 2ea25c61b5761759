using System.Text;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Tests.Traffic;

/// <summary>
/// The flat reader is a shortcut: whatever it accepts, the full reader must accept as the same record; and the shape
/// producers send must take the shortcut.
/// </summary>
public sealed class TrafficRecordFlatReaderTests
{
    [Fact]
    public void TryParseFlat_WhatProducersWrite_TakesTheShortcutWithTheSameRecord()
    {
        var records = new[]
        {
            new TrafficRecord("a-1", "job one", "dcA", "dcB", 0, "read", "router", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            new TrafficRecord("a-2", "j", "dcA", "dcA", long.MaxValue / 1000, "write", "client", new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            new TrafficRecord("a-3", "copy", "dcA", "dcB", 5, "copy", "replicator", new DateTimeOffset(2106, 2, 7, 6, 28, 15, TimeSpan.Zero)),
            new TrafficRecord("a-4", "now", "dcA", "dcB", 5, "read", "router", new DateTimeOffset(2026, 11, 23, 8, 20, 1, TimeSpan.Zero).AddTicks(1_234_567)),
            new TrafficRecord("a-5", "now", "dcA", "dcB", 5, "read", "router", new DateTimeOffset(2026, 11, 23, 8, 20, 1, TimeSpan.Zero).AddTicks(5_000_000)),
        };
        foreach (var record in records)
        {
            var json = TrafficRecordJson.Serialize(record);
            Assert.True(TrafficRecordJson.TryParseFlat(json, out var flat), Encoding.UTF8.GetString(json));
            Assert.Equal(record, flat);
            Assert.True(TrafficRecordJson.TryParseWithReader(json, out var full, out _));
            Assert.Equal(full, flat);
        }
    }

    [Theory]
    [InlineData("""{"id":"x\u0041","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""", true)]
    [InlineData("""{"id":"é","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""", true)]
    [InlineData("""{"id":"x","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1.0,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""", false)]
    [InlineData("""{"id":"x","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1e3,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""", false)]
    [InlineData("""{"id":"x","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"2026-01-01T00:00:00+02:00"}""", true)]
    [InlineData("""{"id":"x","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z","replicationLagSeconds":2.5}""", true)]
    [InlineData("""{"id":"x","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z","extra":[1]}""", true)]
    public void TryParseFlat_OtherShapes_LeftToTheFullReader(string json, bool valid)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        Assert.False(TrafficRecordJson.TryParseFlat(utf8, out _));
        Assert.Equal(valid, TrafficRecordJson.TryParse(utf8, out var record, out var error));
        Assert.Equal(valid, record is not null);
        Assert.Equal(valid, error is null);
    }

    [Fact]
    public void TryParseFlat_MutatedLines_NeverAcceptsWhatTheFullReaderReadsDifferentlyOrRefuses()
    {
        var shortcut = 0;
        foreach (var utf8 in MutatedTrafficLines.Generate(MutatedTrafficLines.Lines, seed: 2026, count: 60_000, minEdits: 1, maxEdits: 3))
        {
            if (!TrafficRecordJson.TryParseFlat(utf8, out var flat))
            {
                continue;
            }

            shortcut++;
            Assert.True(TrafficRecordJson.TryParseWithReader(utf8, out var full, out var error), $"{Encoding.UTF8.GetString(utf8)}: {error}");
            Assert.Equal(full, flat);
        }

        Assert.True(shortcut > 1000, $"only {shortcut} mutated lines took the shortcut");
    }

    [Fact]
    public void TryParse_UtcTimesWithFractions_SameInstantAsTheIso8601Reader()
    {
        var random = new Random(5);
        for (var n = 0; n < 5_000; n++)
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(random.NextInt64(0, uint.MaxValue));
            var digits = random.Next(0, 8);
            var fraction = digits == 0 ? "" : "." + random.NextInt64(0, (long)Math.Pow(10, digits)).ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture);
            var text = at.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + fraction + (n % 2 == 0 ? "Z" : "+00:00");
            var json = $$"""{"id":"x","job":"j","sourceDatacenter":"a","destinationDatacenter":"b","bytes":1,"operation":"read","component":"router","time":"{{text}}"}""";

            Assert.True(TrafficRecordJson.TryParse(Encoding.UTF8.GetBytes(json), out var record, out var error), error);
            Assert.Equal(System.Text.Json.JsonSerializer.Deserialize<DateTimeOffset>($"\"{text}\"").UtcTicks, record!.Time.UtcTicks);
        }
    }
}
