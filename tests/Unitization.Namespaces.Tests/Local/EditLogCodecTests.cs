using System.Text;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;

namespace Unitization.Namespaces.Tests.Local;

public sealed class EditLogCodecTests
{
    [Fact]
    public void Decode_EncodedExchange_RoundTripsWithItsInode()
    {
        var edit = new EditRecord(new TxId(42), EditOp.Exchange, "/.unitization/staging/w0/abc", "/warehouse/t/dt=1", 0, null, new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var logged = new LoggedEdit(edit, null, 123_456_789_012UL);

        var frame = EditLogCodec.Encode(logged);
        var decoded = EditLogCodec.Decode(frame.AsSpan(EditLogCodec.HeaderSize));

        Assert.Equal(logged, decoded);
        Assert.Contains("\"op\":\"exchange\"", Encoding.UTF8.GetString(frame, EditLogCodec.HeaderSize, frame.Length - EditLogCodec.HeaderSize), StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RecordWrittenBeforeExchangeExisted_HasNoInode()
    {
        var payload = """{"tx":7,"op":"rename","path":"/a","dst":"/b","size":0,"ts":"2026-01-02T03:04:05+00:00"}"""u8;

        var decoded = EditLogCodec.Decode(payload);

        Assert.Equal(EditOp.Rename, decoded.Edit.Op);
        Assert.Equal("/b", decoded.Edit.Destination);
        Assert.Null(decoded.Inode);
        Assert.Null(decoded.Stage);
    }

    [Fact]
    public void Decode_UnknownOp_SaysWhichOp()
    {
        var payload = """{"tx":7,"op":"swap","path":"/a","size":0,"ts":"2026-01-02T03:04:05+00:00"}"""u8.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => EditLogCodec.Decode(payload));

        Assert.Contains("'swap'", error.Message, StringComparison.Ordinal);
    }
}
