using Unitization.Replication.Metastore;

namespace Unitization.Replication.Tests.Metastore;

public sealed class HiveMessageTests
{
    [Fact]
    public void Parse_AddPartitionMessage_ReadsNamesSpecsAndObjects()
    {
        var message = HiveMessage.Parse(HiveEventType.AddPartition, """
            {"server":"thrift://hms:9083","servicePrincipal":"","db":"Sales","table":"Orders","tableType":"MANAGED_TABLE",
             "tableObjJson":"{}","timestamp":1764000000,
             "partitions":[{"dt":"2026-11-01","region":"eu"}],"partitionListJson":["{\"1\":{\"lst\":[\"str\",1,\"2026-11-01\"]}}"]}
            """);

        Assert.Equal(("sales", "orders"), (message.Db, message.Table));
        Assert.Equal("{}", message.TableObjJson);
        var spec = Assert.Single(message.Partitions);
        Assert.Equal("eu", spec["region"]);
        Assert.Single(message.PartitionObjJsons);
    }

    [Fact]
    public void Parse_AlterPartitionAndInsert_ReadKeyValuesAndSingleObjects()
    {
        var alter = HiveMessage.Parse(HiveEventType.AlterPartition, """{"db":"s","table":"t","keyValues":{"dt":"d1"},"partitionObjAfterJson":"{}"}""");
        var insert = HiveMessage.Parse(HiveEventType.Insert, """{"db":"s","table":"t","ptnObjJson":"{}"}""");

        Assert.Equal("d1", Assert.Single(alter.Partitions)["dt"]);
        Assert.Equal(["{}"], alter.PartitionObjJsons);
        Assert.Equal(["{}"], insert.PartitionObjJsons);
        Assert.Null(insert.TableObjJson);
    }

    // issue 16, case 3: an ADD_PARTITION whose partitionListJson is [5] was retried as transient for minutes
    [Fact]
    public void Parse_PartitionListJsonHoldsANumber_MalformedNamingTheField()
    {
        var error = Assert.Throws<MalformedEventException>(() =>
            HiveMessage.Parse(HiveEventType.AddPartition, """{"db":"sales","table":"orders","partitionListJson":[5]}"""));

        Assert.Contains("partitionListJson", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("{\"db\":\"s\"", "not JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"table\":\"t\"}", "'db'")]
    [InlineData("{\"db\":\"s\",\"table\":12}", "'table'")]
    [InlineData("{\"db\":\" \",\"table\":\"t\"}", "'db'")]
    [InlineData("{\"db\":\"s\",\"table\":\"t\",\"partitions\":[\"dt=1\"]}", "partitions[]")]
    [InlineData("{\"db\":\"s\",\"table\":\"t\",\"partitions\":[{\"dt\":5}]}", "partitions[].dt")]
    [InlineData("{\"db\":\"s\",\"table\":\"t\",\"keyValues\":{\"dt\":null}}", "keyValues.dt")]
    [InlineData("{\"db\":\"s\",\"table\":\"t\",\"partitionListJson\":[null]}", "partitionListJson")]
    [InlineData("{\"db\":\"s\",\"table\":\"t\",\"partitionListJson\":[{\"1\":2}]}", "partitionListJson")]
    public void Parse_WrongShapes_MalformedNamingWhatIsWrong(string json, string named)
    {
        var error = Assert.Throws<MalformedEventException>(() => HiveMessage.Parse(HiveEventType.AddPartition, json));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(HiveEventType.AddPartition, error.Message, StringComparison.Ordinal);
    }
}
