using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Unitization.Namespaces.Configuration;

namespace Unitization.Namespaces.Tests.Configuration;

public sealed class HdfsValidationTests
{
    [Fact]
    public void Validate_HaNameNodesSimpleAuthAndJournalNodes_Accepted()
    {
        var topology = Bind(new()
        {
            ["Datacenters:0:NameNodes:0"] = "http://nn1.dcB:9870",
            ["Datacenters:0:NameNodes:1"] = "http://nn2.dcB:9870",
            ["Datacenters:0:Auth:User"] = "hive",
            ["Datacenters:0:Journal:JournalNodes:0"] = "http://jn1.dcB:8480",
            ["Datacenters:0:Journal:JournalId"] = "nameservice1",
        });

        Assert.Empty(Problems(topology));
        Assert.Equal([new Uri("http://nn1.dcB:9870"), new Uri("http://nn2.dcB:9870")], topology.Datacenters[0].NameNodeUrls());
    }

    [Fact]
    public void Validate_WebHdfsAliasWithOneUrlAndSharedEdits_Accepted()
    {
        var topology = Bind(new()
        {
            ["Datacenters:0:Kind"] = "webhdfs",
            ["Datacenters:0:WebHdfsUrl"] = "https://nn1.dcB:9871",
            ["Datacenters:0:Auth:Method"] = "kerberos",
            ["Datacenters:0:Journal:SharedEditsDirectory"] = "/mnt/nn-shared/current",
        });

        Assert.Empty(Problems(topology));
        Assert.Equal([new Uri("https://nn1.dcB:9871")], topology.Datacenters[0].NameNodeUrls());
    }

    [Theory]
    [InlineData("Datacenters:0:NameNodes", "", "needs NameNodes")]
    [InlineData("Datacenters:0:NameNodes:0", "ftp://nn1:21", "must be http or https")]
    [InlineData("Datacenters:0:Auth:User", "", "Auth 'simple' needs User")]
    [InlineData("Datacenters:0:Auth:Method", "ldap", "Auth Method 'ldap' is unknown")]
    [InlineData("Datacenters:0:Journal:JournalNodes", "", "exactly one of Journal:JournalNodes")]
    [InlineData("Datacenters:0:Journal:SharedEditsDirectory", "/mnt/edits", "exactly one of Journal:JournalNodes")]
    [InlineData("Datacenters:0:Journal:JournalId", "ns/1", "JournalId 'ns/1'")]
    [InlineData("Datacenters:0:Journal:JournalNodes:0", "jn1:8480", "JournalNode address")]
    [InlineData("Datacenters:0:Journal:PollInterval", "00:05:00", "PollInterval")]
    [InlineData("Datacenters:0:Kind", "s3", "Kind must be 'local' or 'hdfs'")]
    public void Validate_OneBadSetting_RefusedNamingTheKey(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Datacenters:0:NameNodes:0"] = "http://nn1.dcB:9870",
            ["Datacenters:0:Auth:User"] = "hive",
            ["Datacenters:0:Journal:JournalNodes:0"] = "http://jn1.dcB:8480",
            ["Datacenters:0:Journal:JournalId"] = "nameservice1",
        };
        if (value.Length == 0)
        {
            foreach (var k in settings.Keys.Where(k => k.StartsWith(key, StringComparison.Ordinal)).ToArray())
            {
                settings.Remove(k);
            }
        }
        else
        {
            settings[key] = value;
        }

        var problems = Problems(Bind(settings));

        var problem = Assert.Single(problems, p => p.ErrorMessage!.Contains(message, StringComparison.Ordinal));
        Assert.StartsWith("Datacenters:0", Assert.Single(problem.MemberNames), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TokenAuth_NeedsExactlyOneOfTokenAndFile()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Datacenters:0:NameNodes:0"] = "http://nn1.dcB:9870",
            ["Datacenters:0:Auth:Method"] = "token",
            ["Datacenters:0:Journal:SharedEditsDirectory"] = "edits",
        };

        Assert.Contains(Problems(Bind(settings)), p => p.MemberNames.Single() == "Datacenters:0:Auth:DelegationToken");
        settings["Datacenters:0:Auth:DelegationTokenFile"] = "dcB.token";
        Assert.Empty(Problems(Bind(settings)));
    }

    [Fact]
    public void Validate_GatewayBearerTokenWithKerberos_RefusedNamingTheKey()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Datacenters:0:NameNodes:0"] = "http://nn1.dcB:9870",
            ["Datacenters:0:Auth:Method"] = "kerberos",
            ["Datacenters:0:Auth:GatewayBearerToken"] = "unz_gateway",
            ["Datacenters:0:Journal:SharedEditsDirectory"] = "edits",
        };

        Assert.Contains(Problems(Bind(settings)), p => p.MemberNames.Single() == "Datacenters:0:Auth:GatewayBearerToken");
        settings["Datacenters:0:Auth:Method"] = "simple";
        settings["Datacenters:0:Auth:User"] = "hive";
        Assert.Empty(Problems(Bind(settings)));
    }

    private static TopologyOptions Bind(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Datacenters:0:Id", "dcB");
        settings.TryAdd("Datacenters:0:Kind", "hdfs");
        var topology = new TopologyOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().Bind(topology);
        return topology;
    }

    private static List<ValidationResult> Problems(TopologyOptions topology)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(topology, new ValidationContext(topology), results, validateAllProperties: true);
        return results;
    }
}
