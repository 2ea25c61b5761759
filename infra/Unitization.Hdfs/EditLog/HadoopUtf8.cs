using System.Text;

namespace Unitization.Hdfs.EditLog;

/// <summary>
/// Hadoop's <c>UTF8</c> (DeprecatedUTF8) decoding, byte for byte: 1- to 4-byte sequences, continuation bytes not
/// checked, surrogates written as 3-byte sequences taken as they are; a bad lead byte or a cut sequence is an error.
/// </summary>
internal static class HadoopUtf8
{
    public static string Decode(ReadOnlySpan<byte> bytes, long offset)
    {
        if (System.Text.Ascii.IsValid(bytes))
        {
            return Encoding.Latin1.GetString(bytes);
        }

        var builder = new StringBuilder(bytes.Length);
        var n = bytes.Length;
        var i = 0;
        while (i < n)
        {
            var b = bytes[i++];
            if ((b & 0x80) == 0)
            {
                builder.Append((char)b);
            }
            else if ((b & 0xE0) == 0xC0)
            {
                if (i >= n)
                {
                    throw new EditLogFormatException("truncated UTF-8 sequence in a string", offset + i - 1);
                }

                builder.Append((char)(((b & 0x1F) << 6) | (bytes[i++] & 0x3F)));
            }
            else if ((b & 0xF0) == 0xE0)
            {
                if (i + 1 >= n)
                {
                    throw new EditLogFormatException("truncated UTF-8 sequence in a string", offset + i - 1);
                }

                builder.Append((char)(((b & 0x0F) << 12) | ((bytes[i] & 0x3F) << 6) | (bytes[i + 1] & 0x3F)));
                i += 2;
            }
            else if ((b & 0xF8) == 0xF0)
            {
                if (i + 2 >= n)
                {
                    throw new EditLogFormatException("truncated UTF-8 sequence in a string", offset + i - 1);
                }

                var codePoint = ((b & 0x07) << 18) | ((bytes[i] & 0x3F) << 12) | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F);
                i += 3;
                builder.Append((char)((codePoint >>> 10) + (0xD800 - (0x10000 >>> 10))));
                builder.Append((char)((codePoint & 0x3FF) + 0xDC00));
            }
            else
            {
                throw new EditLogFormatException($"invalid UTF-8 lead byte 0x{b:x2} in a string", offset + i - 1);
            }
        }

        return builder.ToString();
    }
}
