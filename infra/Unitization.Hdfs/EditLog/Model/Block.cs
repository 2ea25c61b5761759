using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Model;

/// <summary>An HDFS block: id, length in bytes, generation stamp.</summary>
internal readonly record struct Block(long BlockId, long NumBytes, long GenerationStamp)
{
    public void Write(IEditFieldWriter writer)
    {
        writer.Begin("BLOCK", repeated: true);
        writer.Number("BLOCK_ID", BlockId);
        writer.Number("NUM_BYTES", NumBytes);
        writer.Number("GENSTAMP", GenerationStamp);
        writer.End();
    }

    /// <summary>A full block list (<c>ArrayWritable</c> of <c>Block</c>: count, then id, length, stamp each).</summary>
    public static ValueList<Block> ReadArray(ref OpBodyReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > 64 * 1024 * 1024)
        {
            throw reader.Error($"invalid number of blocks {count}");
        }

        if (count > reader.Remaining / 24)
        {
            throw new OpTruncatedException();
        }

        var blocks = new Block[count];
        for (var i = 0; i < count; i++)
        {
            var id = reader.ReadInt64();
            var numBytes = reader.ReadInt64();
            var stamp = reader.ReadInt64();
            if (numBytes < 0)
            {
                throw reader.Error($"unexpected block size {numBytes}");
            }

            blocks[i] = new Block(id, numBytes, stamp);
        }

        return new ValueList<Block>(blocks);
    }

    /// <summary>A compact block list (<c>FSImageSerialization.readCompactBlockArray</c>): vint count, id, then length and stamp as deltas.</summary>
    public static ValueList<Block> ReadCompactArray(ref OpBodyReader reader)
    {
        var count = reader.ReadVInt();
        if (count < 0)
        {
            throw reader.Error($"invalid block array length {count}");
        }

        if (count > reader.Remaining / 10)
        {
            throw new OpTruncatedException();
        }

        var blocks = new Block[count];
        Block previous = default;
        for (var i = 0; i < count; i++)
        {
            var id = reader.ReadInt64();
            var size = reader.ReadVLong() + previous.NumBytes;
            var stamp = reader.ReadVLong() + previous.GenerationStamp;
            previous = blocks[i] = new Block(id, size, stamp);
        }

        return new ValueList<Block>(blocks);
    }
}
