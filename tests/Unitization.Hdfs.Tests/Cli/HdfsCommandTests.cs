using System.Text.Json;
using Unitization.Hdfs.Cli;
using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Ops;

namespace Unitization.Hdfs.Tests.Cli;

/// <summary><c>unitization hdfs edits decode FILE [--format xml|json]</c>: what it prints and how it ends.</summary>
public sealed class HdfsCommandTests
{
    private static readonly EditLogOp[] Ops =
    [
        new LogSegmentOp(1, EditLogOpCode.OP_START_LOG_SEGMENT),
        new MkdirOp(2, 16386, "/warehouse", 5, new PermissionStatus("hive", "hadoop", 493), null, ValueList<XAttr>.Empty),
        new DeleteOp(3, "/tmp/x", 6, RpcIds.None),
    ];

    [Fact]
    public void Write_Json_OneObjectPerOpAndLineWithTheXmlsNames()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = HdfsCommand.Write(EditLogEncoder.Segment(EditLogLayout.Newest, Ops), "json", output, errors, "edits_inprogress_1");

        Assert.Equal(0, code);
        Assert.Empty(errors.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        using var mkdir = JsonDocument.Parse(lines[1]);
        Assert.Equal(-67, mkdir.RootElement.GetProperty("EDITS_VERSION").GetInt32());
        Assert.Equal("OP_MKDIR", mkdir.RootElement.GetProperty("OPCODE").GetString());
        Assert.Equal(2, mkdir.RootElement.GetProperty("DATA").GetProperty("TXID").GetInt64());
        Assert.Equal("/warehouse", mkdir.RootElement.GetProperty("DATA").GetProperty("PATH").GetString());
    }

    [Fact]
    public void Write_XmlOfABadSegment_PrintsTheOpsBeforeClosedAndTheErrorNamingTheTxid()
    {
        var bytes = EditLogEncoder.Segment(EditLogLayout.Newest, Ops);
        bytes[^2] ^= 0x01; // in the last op's checksum
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = HdfsCommand.Write(bytes, "xml", output, errors, "edits_1-3");

        Assert.Equal(1, code);
        var xml = output.ToString();
        Assert.Contains("<OPCODE>OP_MKDIR</OPCODE>", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("OP_DELETE", xml, StringComparison.Ordinal);
        Assert.EndsWith("</EDITS>", xml.TrimEnd(), StringComparison.Ordinal);
        Assert.StartsWith("error: edits_1-3: ", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("txid 3", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NotASegment_ExitOneNamingTheFile()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = HdfsCommand.Write(new byte[] { 1, 2, 3 }, "xml", output, errors, "notes.txt");

        Assert.Equal(1, code);
        Assert.Empty(output.ToString());
        Assert.StartsWith("error: notes.txt: ", errors.ToString(), StringComparison.Ordinal);
    }
}
