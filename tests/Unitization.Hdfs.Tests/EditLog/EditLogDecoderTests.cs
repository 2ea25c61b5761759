using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Ops;
using Unitization.TestUtils.Hdfs;

namespace Unitization.Hdfs.Tests.EditLog;

public class EditLogDecoderTests
{
    private static readonly Arbitrary<(int Seed, int Layout)> SeedsAndLayouts = Arb.From(
        from seed in Gen.Choose(1, int.MaxValue - 1)
        from layout in Gen.Elements(EditLogLayout.All.ToArray())
        select (seed, layout));

    public static TheoryData<int> Layouts => new(EditLogLayout.All);

    [Fact]
    public void Decode_EncodedRandomSegment_GivesTheSameOps() =>
        Prop.ForAll(SeedsAndLayouts, input =>
        {
            var ops = new RandomOps(input.Seed, input.Layout).Segment(40).ToList();
            var decoded = Decode(EditLogEncoder.Segment(input.Layout, ops));
            return decoded.SequenceEqual(ops);
        }).QuickCheckThrowOnFailure();

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Decode_EveryOpcode_RoundTripsInThisLayout(int layout)
    {
        var random = new RandomOps(layout * 7919, layout);
        var ops = RandomOps.OpCodes.SelectMany((code, i) => Enumerable.Range(0, 5).Select(k => random.Op(code, (i * 5) + k + 1))).ToList();

        var decoded = Decode(EditLogEncoder.Segment(layout, ops));

        Assert.Equal(ops.Count, decoded.Count);
        for (var i = 0; i < ops.Count; i++)
        {
            Assert.Equal(ops[i], decoded[i]);
        }
    }

    [Theory]
    [InlineData(-55)]
    [InlineData(-56)]
    [InlineData(-67)]
    public void TryRead_FlippedByteInAnOp_FailsNamingItsTxid(int layout)
    {
        var ops = new RandomOps(3, layout).Segment(10).ToList();
        var bytes = EditLogEncoder.Segment(layout, ops);
        var target = FirstOpOffset(bytes, layout, 4);
        bytes[target + (layout <= -56 ? 14 : 10)] ^= 0x01; // a byte after the txid

        var error = Assert.Throws<EditLogFormatException>(() => Decode(bytes));

        Assert.Contains("txid 5", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-51)]
    [InlineData(-67)]
    public void TryRead_SegmentCutInsideAnOp_IsIncompleteThenReadsOnWithTheRest(int layout)
    {
        var ops = new RandomOps(11, layout).Segment(30).ToList();
        var bytes = EditLogEncoder.Segment(layout, ops);
        var cut = FirstOpOffset(bytes, layout, 17) + 3;

        var decoder = new EditLogDecoder(bytes.AsMemory(0, cut));
        var read = new List<EditLogOp>();
        EditLogReadStatus status;
        while ((status = decoder.TryRead(out var op)) == EditLogReadStatus.Op)
        {
            read.Add(op!);
        }

        Assert.Equal(EditLogReadStatus.Incomplete, status);
        Assert.Equal(17, read.Count);
        var rest = new EditLogDecoder(bytes);
        var resumed = rest.ReadAll().Skip(read.Count);
        Assert.Equal(ops, read.Concat(resumed));
    }

    [Fact]
    public void ReadAll_PreallocatedPadding_EndsAtTheTerminator()
    {
        var ops = new RandomOps(5, -64).Segment(12).ToList();
        var bytes = EditLogEncoder.Segment(-64, ops).Concat(Enumerable.Repeat((byte)0xFF, 1000)).Concat(new byte[20]).ToArray();

        Assert.Equal(ops, Decode(bytes));
    }

    [Fact]
    public void ReadAll_GarbageAfterTheTerminator_IsAnError()
    {
        var bytes = EditLogEncoder.Segment(-64, new RandomOps(5, -64).Segment(3)).Concat(new byte[] { 0xFF, 0xFF, 0x07, 0xFF }).ToArray();

        var error = Assert.Throws<EditLogFormatException>(() => Decode(bytes));

        Assert.Equal(bytes.Length - 2, error.Offset);
    }

    [Theory]
    [InlineData(-50)]
    [InlineData(-68)]
    [InlineData(-1)]
    public void New_UnsupportedHeader_SaysWhichVersionsAreRead(int version)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(bytes, version);

        var error = Assert.Throws<EditLogFormatException>(() => new EditLogDecoder(bytes));

        Assert.Contains(version.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void New_LayoutFlags_AreRefused()
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(bytes, -64);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), 1);

        Assert.Throws<EditLogFormatException>(() => new EditLogDecoder(bytes));
    }

    [Fact]
    public void ReadAll_UnknownOpcodeWithLength_IsSkippedAndTheStreamStaysAligned()
    {
        var before = new DeleteOp(1, "/a", 5, Unitization.Hdfs.EditLog.Model.RpcIds.None);
        var unknown = new UnknownOp(2, 99, ValueList.Of<byte>(1, 2, 3));
        var after = new TimesOp(3, "/b", 6, 7);

        var decoded = Decode(EditLogEncoder.Segment(-67, [before, unknown, after]));

        Assert.Equal([before, unknown, after], decoded);
    }

    [Fact]
    public void ReadAll_UnknownOpcodeWithoutLength_IsAnError()
    {
        var bytes = EditLogEncoder.Segment(-55, [new UnknownOp(2, 99, ValueList.Of<byte>(1, 2, 3))]);

        var error = Assert.Throws<EditLogFormatException>(() => Decode(bytes));

        Assert.Contains("opcode 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAll_LengthLongerThanTheFields_IsAnError()
    {
        var bytes = EditLogEncoder.Segment(-67, [new TimesOp(3, "/b", 6, 7)]).ToList();
        // one byte more in the op's length and body; the checksum recomputed so only the length is wrong
        bytes.Insert(bytes.Count - 4, 0);
        var op = bytes.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(op.AsSpan(9), BinaryPrimitives.ReadInt32BigEndian(op.AsSpan(9)) + 1);
        BinaryPrimitives.WriteUInt32BigEndian(op.AsSpan(op.Length - 4), System.IO.Hashing.Crc32.HashToUInt32(op.AsSpan(8, op.Length - 12)));

        var error = Assert.Throws<EditLogFormatException>(() => Decode(op));

        Assert.Contains("txid 3", error.Message, StringComparison.Ordinal);
    }

    private static List<EditLogOp> Decode(byte[] bytes) => new EditLogDecoder(bytes).ReadAll().ToList();

    // the offset of op number `index` (0-based), found by decoding the ops before it
    private static int FirstOpOffset(byte[] bytes, int layout, int index)
    {
        var decoder = new EditLogDecoder(bytes);
        for (var i = 0; i < index; i++)
        {
            Assert.Equal(EditLogReadStatus.Op, decoder.TryRead(out _));
        }

        _ = layout;
        return decoder.Position;
    }
}
