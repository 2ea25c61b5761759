using Unitization.Router.Security;

namespace Unitization.Router.Tests.Security;

public sealed class HadoopWritableTests
{
    [Theory]
    [InlineData(0L, new byte[] { 0x00 })]
    [InlineData(127L, new byte[] { 0x7F })]
    [InlineData(-112L, new byte[] { 0x90 })]
    [InlineData(128L, new byte[] { 0x8F, 0x80 })]
    [InlineData(300L, new byte[] { 0x8E, 0x01, 0x2C })]
    [InlineData(-113L, new byte[] { 0x87, 0x70 })]
    [InlineData(1_764_979_200_000L, new byte[] { 0x8A, 0x01, 0x9A, 0xF0, 0xF5, 0x50, 0x00 })]
    public void WriteVLong_KnownValues_HadoopZeroCompressedBytes(long value, byte[] expected)
    {
        using var output = new MemoryStream();

        HadoopWritable.WriteVLong(output, value);

        Assert.Equal(expected, output.ToArray());
        var position = 0;
        Assert.Equal(value, HadoopWritable.ReadVLong(expected, ref position, "v"));
        Assert.Equal(expected.Length, position);
    }

    [Fact]
    public void Identifier_RoundTrip_SameFieldsAndLayout()
    {
        var identifier = new DelegationTokenIdentifier("alice", "yarn", "hue", 1_000, 2_000, 42, 3);

        var bytes = identifier.ToBytes();

        Assert.Equal(identifier, DelegationTokenIdentifier.Parse(bytes));
        // version 0, then "alice" as Text (length 5 + UTF-8)
        Assert.Equal(new byte[] { 0, 5, (byte)'a', (byte)'l', (byte)'i', (byte)'c', (byte)'e' }, bytes[..7]);
    }

    [Fact]
    public void TokenUrlString_RoundTrip_UrlSafeWithoutPadding()
    {
        var token = new DelegationToken([0xFB, 0xFF, 0x01], [0xFE, 0xFF], DelegationToken.WebHdfsKind, "router:8080");

        var text = token.ToUrlString();

        Assert.DoesNotContain('+', text);
        Assert.DoesNotContain('/', text);
        Assert.DoesNotContain('=', text);
        Assert.True(DelegationToken.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(token.Identifier, parsed!.Identifier);
        Assert.Equal(token.Password, parsed.Password);
        Assert.Equal((token.Kind, token.Service), (parsed.Kind, parsed.Service));
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("AAAA")]
    public void TokenUrlString_Malformed_RefusedWithReason(string text)
    {
        Assert.False(DelegationToken.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
