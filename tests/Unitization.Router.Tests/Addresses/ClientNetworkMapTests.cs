using System.Net;
using Unitization.Router.Addresses;

namespace Unitization.Router.Tests.Addresses;

public sealed class ClientNetworkMapTests
{
    private static ClientNetworkMap Build(Dictionary<string, List<string>> networks, string fallback = "dcA")
    {
        var map = ClientNetworkMap.Build(networks, fallback, out var errors);
        Assert.Empty(errors);
        return map;
    }

    [Theory]
    [InlineData("10.2.0.0", "dcB")] // first address of the network
    [InlineData("10.2.255.255", "dcB")] // last address
    [InlineData("10.1.255.255", "dcA")] // one before: not in it
    [InlineData("10.3.0.0", "dcA")] // one after
    [InlineData("10.2.7.0", "dcC")] // nested /24 wins over the /16
    [InlineData("10.2.7.255", "dcC")]
    [InlineData("10.2.8.0", "dcB")] // right after the nested network, the /16 again
    [InlineData("10.2.6.255", "dcB")]
    [InlineData("10.2.7.9", "dcA")] // a /32 inside the /24 inside the /16
    public void Locate_NestedNetworks_LongestPrefixWins(string address, string expected)
    {
        var map = Build(new()
        {
            ["dcA"] = ["10.2.7.9/32"],
            ["dcB"] = ["10.2.0.0/16"],
            ["dcC"] = ["10.2.7.0/24"],
        }, fallback: "dcA");
        Assert.Equal(expected, map.Locate(address, out _));
    }

    [Fact]
    public void Locate_DefaultRouteAndTopAddress_CoverTheWholeSpace()
    {
        var map = Build(new() { ["dcA"] = ["0.0.0.0/0", "::/0"], ["dcB"] = ["255.255.255.255/32", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"] }, fallback: "dcZ");
        Assert.Equal("dcA", map.Locate("0.0.0.0", out var known));
        Assert.True(known);
        Assert.Equal("dcA", map.Locate("255.255.255.254", out _));
        Assert.Equal("dcB", map.Locate("255.255.255.255", out _));
        Assert.Equal("dcA", map.Locate("::", out _));
        Assert.Equal("dcB", map.Locate("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", out _));
        Assert.Equal(0, map.UnknownCount);
    }

    [Fact]
    public void Locate_IPv6Boundaries_AreExact()
    {
        var map = Build(new() { ["dcB"] = ["fd00:b::/32"], ["dcC"] = ["fd00:b:0:1::/64"] });
        Assert.Equal("dcB", map.Locate("fd00:b::", out _));
        Assert.Equal("dcB", map.Locate("fd00:b:ffff:ffff:ffff:ffff:ffff:ffff", out _));
        Assert.Equal("dcA", map.Locate("fd00:c::", out var known));
        Assert.False(known);
        Assert.Equal("dcA", map.Locate("fd00:a:ffff:ffff:ffff:ffff:ffff:ffff", out _));
        Assert.Equal("dcC", map.Locate("fd00:b:0:1:ffff:ffff:ffff:ffff", out _));
        Assert.Equal("dcB", map.Locate("fd00:b:0:2::", out _));
    }

    [Fact]
    public void Locate_IPv4MappedAddress_UsesTheIPv4Networks()
    {
        var map = Build(new() { ["dcB"] = ["10.2.0.0/16"] });
        Assert.Equal("dcB", map.Locate("::ffff:10.2.3.4", out _));
        Assert.Equal("dcB", map.Locate(IPAddress.Parse("10.2.3.4").MapToIPv6(), out _));
    }

    [Fact]
    public void Locate_UnknownOrInvalid_DefaultAndCounted()
    {
        var map = Build(new() { ["dcB"] = ["10.2.0.0/16"] }, fallback: "dcA");
        Assert.Equal("dcA", map.Locate("192.168.1.1", out var known));
        Assert.False(known);
        Assert.Equal("dcA", map.Locate("not-an-ip", out _));
        Assert.Equal("dcA", map.Locate((IPAddress?)null, out _));
        Assert.Equal(3, map.UnknownCount);
    }

    [Fact]
    public void Build_BadEntries_ErrorsNameDatacenterAndIndex()
    {
        ClientNetworkMap.Build(new Dictionary<string, List<string>>
        {
            ["dcA"] = ["10.1.0.0/16", "10.1.0.1/16", "10.0.0.0/33"],
            ["dcB"] = ["10.1.0.0/16", "nonsense", "fd00::/129"],
        }, "dcA", out var errors);
        Assert.Contains(errors, e => e.Key == "dcA:1" && e.Message.Contains("host bits", StringComparison.Ordinal) && e.Message.Contains("10.1.0.0/16", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "dcA:2" && e.Message.Contains("0-32", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "dcB:0" && e.Message.Contains("also listed for dcA", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "dcB:1" && e.Message.Contains("not an IPv4 or IPv6 network", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "dcB:2" && e.Message.Contains("0-128", StringComparison.Ordinal));
    }

    [Fact]
    public void Locate_ManyRandomNetworks_AgreesWithALinearScan()
    {
        var random = new Random(7);
        var networks = new Dictionary<string, List<string>> { ["d0"] = [], ["d1"] = [], ["d2"] = [] };
        var ranges = new List<(uint First, uint Last, int Prefix, string Dc)>();
        var seen = new HashSet<(uint, int)>();
        while (ranges.Count < 2000)
        {
            var prefix = random.Next(8, 33);
            var mask = prefix == 32 ? uint.MaxValue : ~(uint.MaxValue >> prefix);
            var first = (uint)random.NextInt64(0, 1L << 32) & mask & 0x0FFF_FFFF; // crowd them for nesting
            if (!seen.Add((first, prefix)))
            {
                continue;
            }

            var dc = $"d{random.Next(3)}";
            networks[dc].Add($"{first >> 24}.{(first >> 16) & 255}.{(first >> 8) & 255}.{first & 255}/{prefix}");
            ranges.Add((first, first | ~mask, prefix, dc));
        }

        var map = Build(networks, fallback: "none");
        for (var i = 0; i < 5000; i++)
        {
            var address = (uint)random.NextInt64(0, 1L << 28);
            var expected = ranges.Where(r => r.First <= address && address <= r.Last).OrderByDescending(r => r.Prefix).Select(r => r.Dc).FirstOrDefault() ?? "none";
            var text = $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}";
            Assert.Equal(expected, map.Locate(text, out _));
        }
    }

    [Fact]
    public void Locate_TextAndAddressObject_DoNotAllocate()
    {
        var map = Build(new() { ["dcB"] = ["10.2.0.0/16", "fd00:b::/32"] });
        var address = IPAddress.Parse("fd00:b::7");
        const string Text = "10.2.0.7";
        const string Text6 = "fd00:b::1:2";

        // a round that allocates nothing shows the calls themselves do not: the runtime may allocate now and then on
        // the thread (tiering up the loop under load), while an allocation of Locate's own shows in every round
        var rounds = new List<long>();
        for (var round = 0; round < 5 && (rounds.Count == 0 || rounds[^1] != 0); round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                map.Locate(Text.AsSpan(), out _);
                map.Locate(Text6.AsSpan(), out _);
                map.Locate(address, out _);
                map.Locate("192.168.0.1", out _);
            }

            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(rounds[^1] == 0, $"bytes allocated by 4,000 calls, round by round: {string.Join(", ", rounds)}");
    }

    [Fact]
    public void Locate_ManyNetworks_DirectTableGivesTheLongestPrefix()
    {
        // more than 4096 IPv4 intervals: the map answers from its /24 direct table
        var networks = new Dictionary<string, List<string>>(StringComparer.Ordinal) { ["dcA"] = ["10.0.0.0/8"], ["dcB"] = [], ["dcC"] = [] };
        for (var i = 0; i < 6000; i++)
        {
            networks[i % 2 == 0 ? "dcB" : "dcC"].Add($"10.{i >> 8}.{i & 255}.0/24");
        }

        networks["dcA"].Add("10.0.7.128/25");
        networks["dcC"].Add("10.0.7.130/32");
        var map = ClientNetworkMap.Build(networks, "dcA", out var errors);
        Assert.Empty(errors);

        Assert.Equal("dcB", map.Locate("10.0.0.1", out _));
        Assert.Equal("dcC", map.Locate("10.0.1.255", out _));
        Assert.Equal("dcC", map.Locate("10.0.7.127", out _)); // /24 number 7 is dcC's
        Assert.Equal("dcA", map.Locate("10.0.7.128", out _));
        Assert.Equal("dcC", map.Locate("10.0.7.130", out _));
        Assert.Equal("dcA", map.Locate("10.0.7.131", out _));
        Assert.Equal("dcA", map.Locate("10.200.0.1", out var known)); // only the /8
        Assert.True(known);
        Assert.Equal("dcA", map.Locate("11.0.0.1", out known));
        Assert.False(known);
    }
}
