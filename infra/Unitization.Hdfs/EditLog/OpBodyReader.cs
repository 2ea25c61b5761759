using System.Buffers.Binary;
using System.Text;

namespace Unitization.Hdfs.EditLog;

/// <summary>
/// Reads the primitives of an op's body the way Hadoop's Writables write them (big-endian Java
/// <c>DataOutput</c>, <c>WritableUtils</c> variable-length ints, <c>DeprecatedUTF8</c> and <c>Text</c> strings,
/// length-delimited protobuf). <see cref="Offset"/> is the segment offset of the first byte, for messages.
/// Running out of bytes throws <see cref="OpTruncatedException"/>; bad data throws <see cref="EditLogFormatException"/>.
/// </summary>
internal ref struct OpBodyReader(ReadOnlySpan<byte> data, int layoutVersion, long offset)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int LayoutVersion { get; } = layoutVersion;

    public readonly long Offset { get; } = offset;

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public readonly bool Supports(EditLogFeature feature) => EditLogLayout.Supports(feature, LayoutVersion);

    public readonly EditLogFormatException Error(string message) => new(message, Offset + _position);

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new OpTruncatedException();
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    public byte ReadByte() => Take(1)[0];

    public sbyte ReadSByte() => (sbyte)Take(1)[0];

    /// <summary>Java <c>readBoolean</c>: any non-zero byte is true.</summary>
    public bool ReadBoolean() => Take(1)[0] != 0;

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0)
        {
            throw Error($"negative length {count}");
        }

        return Take(count);
    }

    /// <summary>Hadoop's <c>WritableUtils.readVLong</c>.</summary>
    public long ReadVLong()
    {
        var first = (sbyte)ReadByte();
        if (first >= -112)
        {
            return first;
        }

        var length = first < -120 ? -119 - first : -111 - first;
        long value = 0;
        foreach (var b in Take(length - 1))
        {
            value = (value << 8) | b;
        }

        return first < -120 || (first >= -112 && first < 0) ? ~value : value;
    }

    /// <summary>Hadoop's <c>WritableUtils.readVInt</c>.</summary>
    public int ReadVInt()
    {
        var at = _position;
        var value = ReadVLong();
        if (value is > int.MaxValue or < int.MinValue)
        {
            throw new EditLogFormatException($"variable-length int {value} does not fit in 32 bits", Offset + at);
        }

        return (int)value;
    }

    /// <summary>A <c>DeprecatedUTF8</c> string (what <c>FSImageSerialization.readString</c> reads): unsigned 16-bit length, then Hadoop's UTF-8.</summary>
    public string ReadUtf8()
    {
        var length = (ushort)ReadInt16();
        var at = _position;
        return HadoopUtf8.Decode(Take(length), Offset + at);
    }

    /// <summary>The raw bytes of a <c>DeprecatedUTF8</c> (<c>FSImageSerialization.readBytes</c>).</summary>
    public ReadOnlySpan<byte> ReadUtf8Bytes() => Take((ushort)ReadInt16());

    /// <summary><c>Text.readString</c>: variable-length length (at most 1 MiB), then strict UTF-8.</summary>
    public string ReadText()
    {
        var at = _position;
        var length = ReadVInt();
        if (length is < 0 or > 1024 * 1024)
        {
            throw new EditLogFormatException($"text length {length} is outside [0, 1048576]", Offset + at);
        }

        var start = _position;
        var bytes = Take(length);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new EditLogFormatException($"text is not valid UTF-8 (at byte offset {Offset + start})", ex);
        }
    }

    /// <summary><c>Text.readFields</c> then <c>toString</c>: variable-length length, UTF-8 with malformed bytes replaced.</summary>
    public string ReadTextLenient()
    {
        var at = _position;
        var length = ReadVInt();
        if (length is < 0 or > 1024 * 1024)
        {
            throw new EditLogFormatException($"text length {length} is outside [0, 1048576]", Offset + at);
        }

        return Encoding.UTF8.GetString(Take(length));
    }

    /// <summary>A protobuf varint-32 length, then that many bytes (<c>parseDelimitedFrom</c>).</summary>
    public ReadOnlySpan<byte> ReadDelimited(out long offset)
    {
        var length = ReadVarint32();
        offset = Offset + _position;
        return Take(length);
    }

    private int ReadVarint32()
    {
        var at = _position;
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (value > int.MaxValue)
                {
                    throw new EditLogFormatException($"protobuf message length {value} is too large", Offset + at);
                }

                return (int)value;
            }
        }

        throw new EditLogFormatException("malformed protobuf length varint", Offset + at);
    }
}
