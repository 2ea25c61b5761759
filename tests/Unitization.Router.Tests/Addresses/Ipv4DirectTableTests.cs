using Unitization.Router.Addresses;

namespace Unitization.Router.Tests.Addresses;

public sealed class Ipv4DirectTableTests
{
    private static uint Ip(string text) => IpAddressText.TryParse(text, out var value, out _) ? (uint)value : throw new ArgumentException(text);

    [Fact]
    public void Find_AgreesWithTheIntervalSearch_OnNestedAndSplitNetworks()
    {
        var networks = new List<(uint, uint, int, int)>();
        void Add(string cidr, int value)
        {
            Assert.True(CidrRange.TryParse(cidr, out var range, out var error), error);
            networks.Add(((uint)range.First, (uint)range.Last, range.PrefixLength, value));
        }

        Add("0.0.0.0/0", 0);
        Add("10.0.0.0/8", 1);
        Add("10.1.0.0/16", 2);
        Add("10.1.2.0/24", 3);
        Add("10.1.2.128/25", 4);
        Add("10.1.2.200/32", 5);
        Add("10.1.3.7/32", 6);
        Add("255.255.255.0/24", 7);
        Add("255.255.255.255/32", 8);
        var search = PrefixRangeTable<uint>.Build(networks);
        var direct = new Ipv4DirectTable(search.Intervals);

        string[] probes =
        [
            "0.0.0.0", "9.255.255.255", "10.0.0.0", "10.1.0.0", "10.1.1.255", "10.1.2.0", "10.1.2.127", "10.1.2.128",
            "10.1.2.199", "10.1.2.200", "10.1.2.201", "10.1.2.255", "10.1.3.0", "10.1.3.6", "10.1.3.7", "10.1.3.8",
            "10.1.255.255", "10.2.0.0", "11.0.0.0", "255.255.254.255", "255.255.255.0", "255.255.255.254", "255.255.255.255",
        ];
        foreach (var probe in probes)
        {
            Assert.Equal(search.Find(Ip(probe)), direct.Find(Ip(probe)));
        }

        Assert.Equal(5, direct.Find(Ip("10.1.2.200")));
        Assert.Equal(6, direct.Find(Ip("10.1.3.7")));
        Assert.Equal(2, direct.Find(Ip("10.1.3.8")));
        Assert.Equal(8, direct.Find(Ip("255.255.255.255")));
    }

    [Fact]
    public void Find_NoNetwork_MinusOne()
    {
        var direct = new Ipv4DirectTable(PrefixRangeTable<uint>.Build([(Ip("10.0.0.0"), Ip("10.0.0.255"), 24, 0), (Ip("10.0.1.4"), Ip("10.0.1.7"), 30, 1)]).Intervals);
        Assert.Equal(-1, direct.Find(Ip("9.9.9.9")));
        Assert.Equal(0, direct.Find(Ip("10.0.0.9")));
        Assert.Equal(-1, direct.Find(Ip("10.0.1.3")));
        Assert.Equal(1, direct.Find(Ip("10.0.1.4")));
        Assert.Equal(-1, direct.Find(Ip("10.0.1.8")));
        Assert.Equal(-1, new Ipv4DirectTable([]).Find(Ip("1.2.3.4")));
    }
}
