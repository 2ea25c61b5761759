using System.Net;
using Unitization.Router.Addresses;

namespace Unitization.Router.Tests.Addresses;

public sealed class IpAddressTextTests
{
    [Theory]
    [InlineData("10.2.0.7")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fd00:b::1")]
    [InlineData("2001:db8:0:0:1:0:0:1")]
    [InlineData("2001:db8::1:0:0:1")]
    [InlineData("1::")]
    [InlineData("1:2:3:4:5:6:7:8")]
    [InlineData("64:ff9b::192.0.2.33")]
    [InlineData("::ffff:10.2.0.7")]
    [InlineData("[fd00:b::1]")]
    [InlineData("fe80::1%eth0")]
    public void TryParse_ValidAddress_MatchesIPAddress(string text)
    {
        Assert.True(IpAddressText.TryParse(text, out var value, out var isV4));
        var expected = IPAddress.Parse(text.Trim('[', ']'));
        Assert.True(IpAddressText.TryGetValue(expected, out var expectedValue, out var expectedV4));
        Assert.Equal(expectedValue, value);
        Assert.Equal(expectedV4, isV4);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.2.0")]
    [InlineData("10.2.0.256")]
    [InlineData("10.2.0.07")]
    [InlineData("10.2.0.7.1")]
    [InlineData("10..0.7")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1::2::3")]
    [InlineData("12345::")]
    [InlineData(":1::")]
    [InlineData("1:")]
    [InlineData("g::1")]
    [InlineData("host.example")]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(IpAddressText.TryParse(text, out _, out _));
    }

    [Fact]
    public void TryParse_MappedIPv6_IsTheIPv4Address()
    {
        Assert.True(IpAddressText.TryParse("::ffff:10.2.0.7", out var mapped, out var mappedV4));
        Assert.True(IpAddressText.TryParse("10.2.0.7", out var plain, out _));
        Assert.True(mappedV4);
        Assert.Equal(plain, mapped);
    }
}
