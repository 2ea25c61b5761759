using System.IO.Compression;
using System.Text;
using Unitization.Replication.Metastore;

namespace Unitization.Replication.Tests.Metastore;

public sealed class HiveMessageFormatTests
{
    private const string Json = "{\"db\":\"sales\",\"table\":\"orders\",\"partitions\":[{\"dt\":\"2026-11-01\"}]}";

    [Fact]
    public void Decode_GzipJson_IsBase64OfGzipOfTheJson()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Json));
        }

        var encoded = Convert.ToBase64String(buffer.ToArray());

        Assert.Equal(Json, HiveMessageFormat.Decode("gzip(json-2.0)", encoded));
        Assert.Equal(Json, HiveMessageFormat.Decode("gzip(json-2.0)", HiveMessageFormat.Encode(HiveMessageFormat.GzipJson, Json)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("json-0.2")]
    public void Decode_PlainJsonFormats_ReturnTheMessageAsItIs(string? format) => Assert.Equal(Json, HiveMessageFormat.Decode(format, Json));

    [Fact]
    public void Decode_NotBase64_IsMalformedNamingTheFormat()
    {
        var ex = Assert.Throws<MalformedEventException>(() => HiveMessageFormat.Decode(HiveMessageFormat.GzipJson, "{not base64}"));
        Assert.Contains("gzip(json-2.0)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not base64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Base64ButNotGzip_IsMalformed()
    {
        var ex = Assert.Throws<MalformedEventException>(() => HiveMessageFormat.Decode(HiveMessageFormat.GzipJson, Convert.ToBase64String(Encoding.UTF8.GetBytes(Json))));
        Assert.Contains("not gzip", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_UnknownFormat_NamesTheFormatsItReads()
    {
        var ex = Assert.Throws<MalformedEventException>(() => HiveMessageFormat.Decode("avro-1", Json));
        Assert.Contains("'avro-1'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("json-0.2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_GzipBomb_RefusedPastTheLimit()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i <= HiveMessageFormat.MaxDecodedBytes / zeros.Length; i++)
            {
                gzip.Write(zeros);
            }
        }

        var ex = Assert.Throws<MalformedEventException>(() => HiveMessageFormat.Decode(HiveMessageFormat.GzipJson, Convert.ToBase64String(buffer.ToArray())));
        Assert.Contains("more than", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AcidWriteMessage_ReadsHiveFieldNames()
    {
        var message = HiveMessage.Parse(HiveEventType.AcidWrite, HiveMessageFormat.GzipJson, HiveMessageFormat.Encode(HiveMessageFormat.GzipJson,
            "{\"txnid\":42,\"database\":\"Sales\",\"table\":\"orders\",\"partitions\":\"dt=1\",\"tableObjJason\":\"{}\",\"partitionObjJson\":\"{}\"}"));

        Assert.Equal(("sales", "orders", 42L, "{}"), (message.Db, message.Table, message.TxnId!.Value, message.TableObjJson));
        Assert.Single(message.PartitionObjJsons);
    }

    [Fact]
    public void Parse_AlterTableMessage_TakesTheTableAfterAndBefore()
    {
        var message = HiveMessage.Parse(HiveEventType.AlterTable, "{\"db\":\"sales\",\"table\":\"orders\",\"tableObjBeforeJson\":\"B\",\"tableObjAfterJson\":\"A\"}");

        Assert.Equal(("A", "B"), (message.TableObjJson, message.TableObjBeforeJson));
    }
}
