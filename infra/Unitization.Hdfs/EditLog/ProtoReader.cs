using System.Text;

namespace Unitization.Hdfs.EditLog;

/// <summary>Reads the protobuf messages embedded in ops (xattrs, ACLs): tags, varints, length-delimited fields; skips unknown fields.</summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data, long offset)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data = data;
    private readonly long _offset = offset;
    private int _position;

    public readonly EditLogFormatException Error(string message) => new(message, _offset + _position);

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool Next(out int field, out int wireType)
    {
        if (_position >= _data.Length)
        {
            field = 0;
            wireType = 0;
            return false;
        }

        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        if (field == 0)
        {
            throw Error("protobuf field number 0");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw Error("protobuf varint runs past the end of its message");
            }

            var b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw Error("malformed protobuf varint");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw Error($"protobuf field of {length} bytes runs past the end of its message");
        }

        var span = _data.Slice(_position, (int)length);
        _position += (int)length;
        return span;
    }

    public string ReadString()
    {
        var at = _position;
        var bytes = ReadBytes();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new EditLogFormatException($"protobuf string is not valid UTF-8 (at byte offset {_offset + at})", ex);
        }
    }

    public ProtoReader ReadMessage()
    {
        var bytes = ReadBytes();
        return new ProtoReader(bytes, _offset + _position - bytes.Length);
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                Advance(8);
                break;
            case LengthDelimited:
                ReadBytes();
                break;
            case Fixed32:
                Advance(4);
                break;
            default:
                throw Error($"unsupported protobuf wire type {wireType}");
        }
    }

    private void Advance(int count)
    {
        if (count > _data.Length - _position)
        {
            throw Error("protobuf field runs past the end of its message");
        }

        _position += count;
    }
}
