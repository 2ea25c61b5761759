using System.Text;
using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Ops;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.Tests.EditLog.Output;

public class OevXmlWriterTests
{
    private static readonly RpcIds Client = new(ValueList.Of<byte>(0xca, 0xb1, 0xaa, 0x2d, 0xe0, 0x8a, 0x4d, 0x2f, 0x82, 0x16, 0x76, 0xe1, 0x67, 0xec, 0xcd, 0x94), 35);

    [Fact]
    public void WriteOp_AddAndClose_PrintsHadoopsElementsInHadoopsOrder()
    {
        var perm = new PermissionStatus("lei", "supergroup", 420);
        var add = new AddCloseOp(4, EditLogOpCode.OP_ADD, 16386, "/file_create", 3, 1512607197452, 1512607197452, 512, default, perm,
            null, ValueList<XAttr>.Empty, "DFSClient_NONMAPREDUCE_-923924783_1", "127.0.0.1", true, 0, 0, Client);
        var close = new AddCloseOp(5, EditLogOpCode.OP_CLOSE, 0, "/file_create", 3, 1512607197500, 1512607197452, 512,
            ValueList.Of(new Block(1073741825, 512, 1001)), perm, null, null, string.Empty, string.Empty, false, 0, 0, RpcIds.None);

        var xml = Write(-64, add, close);

        Assert.Equal(
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <EDITS>
              <EDITS_VERSION>-64</EDITS_VERSION>
              <RECORD>
                <OPCODE>OP_ADD</OPCODE>
                <DATA>
                  <TXID>4</TXID>
                  <LENGTH>0</LENGTH>
                  <INODEID>16386</INODEID>
                  <PATH>/file_create</PATH>
                  <REPLICATION>3</REPLICATION>
                  <MTIME>1512607197452</MTIME>
                  <ATIME>1512607197452</ATIME>
                  <BLOCKSIZE>512</BLOCKSIZE>
                  <CLIENT_NAME>DFSClient_NONMAPREDUCE_-923924783_1</CLIENT_NAME>
                  <CLIENT_MACHINE>127.0.0.1</CLIENT_MACHINE>
                  <OVERWRITE>true</OVERWRITE>
                  <PERMISSION_STATUS>
                    <USERNAME>lei</USERNAME>
                    <GROUPNAME>supergroup</GROUPNAME>
                    <MODE>420</MODE>
                  </PERMISSION_STATUS>
                  <ERASURE_CODING_POLICY_ID>0</ERASURE_CODING_POLICY_ID>
                  <RPC_CLIENTID>cab1aa2d-e08a-4d2f-8216-76e167eccd94</RPC_CLIENTID>
                  <RPC_CALLID>35</RPC_CALLID>
                </DATA>
              </RECORD>
              <RECORD>
                <OPCODE>OP_CLOSE</OPCODE>
                <DATA>
                  <TXID>5</TXID>
                  <LENGTH>0</LENGTH>
                  <INODEID>0</INODEID>
                  <PATH>/file_create</PATH>
                  <REPLICATION>3</REPLICATION>
                  <MTIME>1512607197500</MTIME>
                  <ATIME>1512607197452</ATIME>
                  <BLOCKSIZE>512</BLOCKSIZE>
                  <CLIENT_NAME/>
                  <CLIENT_MACHINE/>
                  <OVERWRITE>false</OVERWRITE>
                  <BLOCK>
                    <BLOCK_ID>1073741825</BLOCK_ID>
                    <NUM_BYTES>512</NUM_BYTES>
                    <GENSTAMP>1001</GENSTAMP>
                  </BLOCK>
                  <PERMISSION_STATUS>
                    <USERNAME>lei</USERNAME>
                    <GROUPNAME>supergroup</GROUPNAME>
                    <MODE>420</MODE>
                  </PERMISSION_STATUS>
                </DATA>
              </RECORD>
            </EDITS>

            """.ReplaceLineEndings("\n"),
            xml);
    }

    [Fact]
    public void WriteOp_ConcatWithoutSourcesAndInternalRpc_PrintsEmptyElements()
    {
        var xml = Write(-67, new ConcatDeleteOp(9, "/t", ValueList<string>.Empty, 7, RpcIds.None));

        Assert.Contains("      <SOURCES/>\n      <RPC_CLIENTID/>\n      <RPC_CALLID>-2</RPC_CALLID>\n", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteOp_TextWithMarkupAndControlCharacters_IsMangledAndEscapedAsOevDoes()
    {
        var xml = Write(-67, new DeleteOp(3, "/a&b<c>\"d'\\e\u0001f\rg\th\ud800", 1, RpcIds.None));

        Assert.Contains("<PATH>/a&amp;b&lt;c&gt;\"d'\\005c;e\\0001;f&#13;g\th\\d800;</PATH>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteOp_AclXAttrsAndOptions_PrintEntriesAndHex()
    {
        var acl = new SetAclOp(1, "/f", ValueList.Of(new AclEntry(0, 0, 6, null), new AclEntry(1, 1, 5, "g")));
        var xattr = new XAttrOp(2, EditLogOpCode.OP_SET_XATTR, "/f", ValueList.Of(new XAttr(0, "a1", ValueList.Of<byte>(0x31, 0x32, 0x33)), new XAttr(4, "r", null)), RpcIds.None);
        var rename = new RenameOp(3, "/a", "/b", 5, ValueList.Of<byte>(0, 1, 2), RpcIds.None);

        var xml = Write(-67, acl, xattr, rename);

        Assert.Contains("<ENTRY>\n        <SCOPE>ACCESS</SCOPE>\n        <TYPE>USER</TYPE>\n        <PERM>rw-</PERM>\n      </ENTRY>", xml, StringComparison.Ordinal);
        Assert.Contains("<SCOPE>DEFAULT</SCOPE>\n        <TYPE>GROUP</TYPE>\n        <NAME>g</NAME>\n        <PERM>r-x</PERM>", xml, StringComparison.Ordinal);
        Assert.Contains("<NAMESPACE>USER</NAMESPACE>\n        <NAME>a1</NAME>\n        <VALUE>0x313233</VALUE>", xml, StringComparison.Ordinal);
        Assert.Contains("<NAMESPACE>RAW</NAMESPACE>\n        <NAME>r</NAME>\n      </XATTR>", xml, StringComparison.Ordinal);
        Assert.Contains("<OPTIONS>NONE|OVERWRITE|TO_TRASH</OPTIONS>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteOp_RpcClientIdOfWrongLength_FailsWithoutWritingPartOfTheRecord()
    {
        var output = new StringWriter();
        var writer = new OevXmlWriter(output);
        var bad = new DeleteOp(3, "/a", 1, new RpcIds(ValueList.Of<byte>(1, 2, 3), 5));

        Assert.Throws<EditLogFormatException>(() => writer.WriteOp(bad));

        Assert.Equal(string.Empty, output.ToString());
    }

    private static string Write(int layout, params EditLogOp[] ops)
    {
        var output = new StringWriter(new StringBuilder()) { NewLine = "\n" };
        var writer = new OevXmlWriter(output);
        writer.WriteStart(layout);
        foreach (var op in ops)
        {
            writer.WriteOp(op);
        }

        writer.WriteEnd();
        return output.ToString();
    }
}
