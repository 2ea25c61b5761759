using System.Globalization;
using ClickHouse.Driver;
using Unitization.Analytics.Storage;

namespace Unitization.IntegrationTests.ClickHouse;

/// <summary>The foundation's check that the shipped ClickHouse (18.16) takes driver inserts and answers JSON reads.</summary>
public sealed class ClickHouseReadWriteTests(ClickHouseDatabaseFixture clickHouse) : IClassFixture<ClickHouseDatabaseFixture>
{
    [Fact]
    public async Task InsertBinaryAsync_RowsOfEveryColumnType_ReadBackWithFormatJson()
    {
        clickHouse.Require();
        var ct = TestContext.Current.CancellationToken;
        await clickHouse.Http.ExecuteAsync(
            "CREATE TABLE rw (id UInt64, name String, at DateTime, bytes Int64, ratio Float64, lag Nullable(Float64)) " +
            "ENGINE = MergeTree PARTITION BY toDate(at) ORDER BY (at, id)", ct);

        var start = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var rows = Enumerable.Range(0, 1000)
            .Select(i => new object?[] { (ulong)i, "name'\\" + i, start.AddMinutes(i), (long)i * 1000, i / 4.0, i % 2 == 0 ? null : (double?)i })
            .Select(r => r!)
            .ToList();
        using var client = new ClickHouseClient(TrafficWriter.ConnectionString(clickHouse.Server, clickHouse.Database));
        var columns = new[] { "id", "name", "at", "bytes", "ratio", "lag" };
        var types = new Dictionary<string, string>
        {
            ["id"] = "UInt64", ["name"] = "String", ["at"] = "DateTime", ["bytes"] = "Int64", ["ratio"] = "Float64", ["lag"] = "Nullable(Float64)",
        };
        var written = await client.InsertBinaryAsync("rw", columns, rows, TrafficWriter.InsertOptions(types), ct);

        Assert.Equal(1000, written);
        var summary = await clickHouse.Http.QueryAsync(
            "SELECT count() AS n, sum(bytes) AS total, countIf(lag IS NULL) AS nulls, min(at) AS first, max(name = 'name\\'\\\\7') AS quoted FROM rw", ct);
        var row = Assert.Single(summary);
        Assert.Equal("1000", row.GetProperty("n").GetString());
        Assert.Equal((999L * 1000 / 2 * 1000).ToString(CultureInfo.InvariantCulture), row.GetProperty("total").GetString());
        Assert.Equal("500", row.GetProperty("nulls").GetString());
        Assert.Equal("2026-01-02 03:04:05", row.GetProperty("first").GetString());
        Assert.Equal(1, row.GetProperty("quoted").GetInt32());

        var ids = await clickHouse.Http.QueryUInt64sAsync("SELECT id FROM rw WHERE id < 3 ORDER BY id", ct);
        Assert.Equal([0UL, 1UL, 2UL], ids);
    }

    [Fact]
    public async Task QueryAsync_BadSql_ThrowsWithServerMessage()
    {
        clickHouse.Require();
        var error = await Assert.ThrowsAsync<ClickHouseException>(
            () => clickHouse.Http.QueryAsync("SELECT no_such_column FROM system.one", TestContext.Current.CancellationToken));
        Assert.Contains("no_such_column", error.Message, StringComparison.Ordinal);
    }
}
