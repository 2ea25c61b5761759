namespace Unitization.Router.Addresses;

/// <summary>An IPv4 or IPv6 network (<c>10.2.0.0/16</c>, <c>fd00:b::/32</c>) as the first and last address it holds.</summary>
internal readonly record struct CidrRange(UInt128 First, UInt128 Last, int PrefixLength, bool IsV4)
{
    /// <summary>Parses CIDR text; a bare address is a host route (/32 or /128). The error says what is wrong.</summary>
    public static bool TryParse(string text, out CidrRange range, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        range = default;
        var span = text.AsSpan().Trim();
        var slash = span.IndexOf('/');
        var addressText = slash < 0 ? span : span[..slash];
        if (!IpAddressText.TryParse(addressText, out var address, out var isV4))
        {
            error = $"'{text}' is not an IPv4 or IPv6 network (expected e.g. 10.2.0.0/16 or fd00:b::/32)";
            return false;
        }

        // an IPv4-mapped IPv6 network (::ffff:10.0.0.0/104) is the IPv4 network it maps
        var bits = isV4 ? 32 : 128;
        var prefix = bits;
        if (slash >= 0)
        {
            if (!int.TryParse(span[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix))
            {
                error = $"'{text}' has no valid prefix length after '/'";
                return false;
            }

            if (isV4 && addressText.IndexOf(':') >= 0)
            {
                prefix -= 96;
            }

            if (prefix < 0 || prefix > bits)
            {
                error = $"'{text}': prefix length must be 0-{bits} for {(isV4 ? "IPv4" : "IPv6")}";
                return false;
            }
        }

        var hostBits = bits - prefix;
        var hostMask = hostBits == 128 ? UInt128.MaxValue : ((UInt128)1 << hostBits) - 1;
        if ((address & hostMask) != 0)
        {
            error = $"'{text}' has host bits set; the network is {Format(address & ~hostMask, isV4)}/{prefix}";
            return false;
        }

        range = new CidrRange(address, address | hostMask, prefix, isV4);
        error = string.Empty;
        return true;
    }

    public override string ToString() => $"{Format(First, IsV4)}/{PrefixLength}";

    private static string Format(UInt128 value, bool isV4)
    {
        if (isV4)
        {
            var v = (uint)value;
            return $"{v >> 24}.{(v >> 16) & 0xFF}.{(v >> 8) & 0xFF}.{v & 0xFF}";
        }

        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 16; i++)
        {
            bytes[i] = (byte)(value >> (8 * (15 - i)));
        }

        return new System.Net.IPAddress(bytes).ToString();
    }
}
