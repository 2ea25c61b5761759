using System.Text;

namespace Unitization.Router.Security;

/// <summary>
/// Hadoop's Writable encodings that a delegation token uses: zero-compressed VLong/VInt (<c>WritableUtils</c>: one
/// byte for -112..127, else a length byte then big-endian magnitude, one's complement for negatives) and Text (a VInt
/// byte count, then UTF-8).
/// </summary>
internal static class HadoopWritable
{
    public static void WriteVLong(Stream output, long value)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (value is >= -112 and <= 127)
        {
            output.WriteByte((byte)(sbyte)value);
            return;
        }

        var length = -112;
        if (value < 0)
        {
            value = ~value;
            length = -120;
        }

        var bytes = 0;
        for (var rest = value; rest != 0; rest >>= 8)
        {
            bytes++;
        }

        output.WriteByte((byte)(sbyte)(length - bytes));
        for (var i = bytes - 1; i >= 0; i--)
        {
            output.WriteByte((byte)(value >> (i * 8)));
        }
    }

    public static void WriteText(Stream output, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteBytes(output, bytes);
    }

    public static void WriteBytes(Stream output, ReadOnlySpan<byte> bytes)
    {
        WriteVLong(output, bytes.Length);
        output.Write(bytes);
    }

    public static long ReadVLong(ReadOnlySpan<byte> input, ref int position, string field)
    {
        var first = (sbyte)Read(input, ref position, field);
        if (first >= -112)
        {
            return first;
        }

        var negative = first < -120;
        var bytes = negative ? -(first + 120) : -(first + 112);
        long value = 0;
        for (var i = 0; i < bytes; i++)
        {
            value = (value << 8) | Read(input, ref position, field);
        }

        return negative ? ~value : value;
    }

    public static int ReadVInt(ReadOnlySpan<byte> input, ref int position, string field)
    {
        var value = ReadVLong(input, ref position, field);
        return value is < int.MinValue or > int.MaxValue ? throw new FormatException($"{field}: {value} does not fit an int") : (int)value;
    }

    public static byte[] ReadBytes(ReadOnlySpan<byte> input, ref int position, string field)
    {
        var length = ReadVInt(input, ref position, field);
        if (length < 0 || length > input.Length - position)
        {
            throw new FormatException($"{field}: length {length} runs past the end ({input.Length - position} bytes left)");
        }

        var bytes = input.Slice(position, length).ToArray();
        position += length;
        return bytes;
    }

    public static string ReadText(ReadOnlySpan<byte> input, ref int position, string field) =>
        new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(ReadBytes(input, ref position, field));

    public static byte Read(ReadOnlySpan<byte> input, ref int position, string field) =>
        position < input.Length ? input[position++] : throw new FormatException($"{field}: the token ends early");
}
