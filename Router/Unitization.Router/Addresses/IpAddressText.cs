using System.Net;
using System.Net.Sockets;

namespace Unitization.Router.Addresses;

/// <summary>
/// Parses IPv4 and IPv6 addresses from text without allocating. An address is a 128-bit number; an IPv4 address (or
/// an IPv4-mapped IPv6 address, <c>::ffff:a.b.c.d</c>) is reported as IPv4 with its 32 bits in the low bits.
/// </summary>
internal static class IpAddressText
{
    public static bool TryParse(ReadOnlySpan<char> text, out UInt128 value, out bool isV4)
    {
        value = 0;
        isV4 = false;
        if (text.IsEmpty)
        {
            return false;
        }

        if (text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        var zone = text.IndexOf('%');
        if (zone >= 0)
        {
            text = text[..zone];
        }

        if (text.IndexOf(':') < 0)
        {
            if (!TryParseV4(text, out var v4))
            {
                return false;
            }

            value = v4;
            isV4 = true;
            return true;
        }

        if (!TryParseV6(text, out value))
        {
            return false;
        }

        if (value >> 32 == 0xFFFF)
        {
            value &= 0xFFFF_FFFF;
            isV4 = true;
        }

        return true;
    }

    /// <summary>The numeric form of an address object (no allocation): IPv4-mapped IPv6 counts as IPv4.</summary>
    public static bool TryGetValue(IPAddress address, out UInt128 value, out bool isV4)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            value = 0;
            isV4 = false;
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork && written == 4)
        {
            value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
            isV4 = true;
            return true;
        }

        value = 0;
        for (var i = 0; i < written; i++)
        {
            value = value << 8 | bytes[i];
        }

        isV4 = value >> 32 == 0xFFFF;
        if (isV4)
        {
            value &= 0xFFFF_FFFF;
        }

        return true;
    }

    private static bool TryParseV4(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        var octets = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            var octet = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                octet = octet * 10 + (text[i] - '0');
                if (octet > 255 || i - start >= 3)
                {
                    return false;
                }

                i++;
            }

            if (i == start || (i - start > 1 && text[start] == '0'))
            {
                return false; // empty octet, or a leading zero (ambiguous: octal in some parsers)
            }

            value = value << 8 | (uint)octet;
            octets++;
            if (i == text.Length)
            {
                return octets == 4;
            }

            if (text[i] != '.' || octets == 4)
            {
                return false;
            }

            i++;
        }
    }

    private static bool TryParseV6(ReadOnlySpan<char> text, out UInt128 value)
    {
        value = 0;
        Span<ushort> groups = stackalloc ushort[8];
        var count = 0;
        var gap = -1; // index in groups where '::' stands
        var i = 0;
        if (text.StartsWith("::"))
        {
            gap = 0;
            i = 2;
            if (i == text.Length)
            {
                return true; // "::"
            }
        }
        else if (text.Length > 0 && text[0] == ':')
        {
            return false;
        }

        while (i < text.Length)
        {
            var start = i;
            var group = 0;
            while (i < text.Length && char.IsAsciiHexDigit(text[i]))
            {
                if (i - start >= 4)
                {
                    return false;
                }

                group = group << 4 | HexValue(text[i]);
                i++;
            }

            if (i < text.Length && text[i] == '.')
            {
                // an embedded IPv4 tail takes the last two groups
                if (count > 6 || !TryParseV4(text[start..], out var tail))
                {
                    return false;
                }

                groups[count++] = (ushort)(tail >> 16);
                groups[count++] = (ushort)tail;
                i = text.Length;
                break;
            }

            if (i == start || count == 8)
            {
                return false;
            }

            groups[count++] = (ushort)group;
            if (i == text.Length)
            {
                break;
            }

            if (text[i] != ':')
            {
                return false;
            }

            i++;
            if (i < text.Length && text[i] == ':')
            {
                if (gap >= 0)
                {
                    return false; // a second '::'
                }

                gap = count;
                i++;
                if (i == text.Length)
                {
                    break;
                }
            }
            else if (i == text.Length)
            {
                return false; // trailing single ':'
            }
        }

        if (gap < 0 ? count != 8 : count > 7)
        {
            return false;
        }

        var shift = gap < 0 ? 0 : 8 - count;
        for (var g = 0; g < count; g++)
        {
            var position = gap >= 0 && g >= gap ? g + shift : g;
            value |= (UInt128)groups[g] << (16 * (7 - position));
        }

        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
