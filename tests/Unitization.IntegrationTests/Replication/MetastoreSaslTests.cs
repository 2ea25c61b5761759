using System.Diagnostics;
using Thrift.Transport;
using Unitization.Replication.Metastore;
using Unitization.SampleHms;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Replication;

/// <summary>
/// A Kerberized HMS: the sample HMS negotiates SASL GSSAPI over Thrift (its key from <c>KRB5_KTNAME</c>, the realm
/// infra/test.sh starts with infra/kerberos/kdc.sh) and the replicator's metastore client authenticates from the ticket
/// cache, with and without confidentiality. The service principal is the realm's <c>HTTP/localhost</c> (the key the
/// tests' keytab holds; a real HMS would be <c>hive/_HOST</c>).
/// </summary>
[Collection("KerberosTests")] // one ticket cache for every Kerberos test: they take turns
public sealed class MetastoreSaslTests
{
    private const string Principal = "HTTP/_HOST";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Realm()
    {
        var folder = Environment.GetEnvironmentVariable("UNITIZATION_TEST_KERBEROS");
        RequiredServer.Require(
            folder is { Length: > 0 } && File.Exists(Path.Combine(folder, "alice.keytab")) && Environment.GetEnvironmentVariable("KRB5_KTNAME") is { Length: > 0 },
            "a Kerberos realm (UNITIZATION_TEST_KERBEROS, KRB5_CONFIG, KRB5_KTNAME, KRB5CCNAME)",
            "infra/kerberos/kdc.sh start DIR && source DIR/kdc.env (infra/test.sh does it)");
        return folder!;
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0 || program == "kdestroy", $"{program} failed: {await output}");
    }

    private static Task KinitAliceAsync(string realm) => RunAsync("kinit", "-kt", Path.Combine(realm, "alice.keytab"), "alice");

    private static async Task<ThriftMetastoreServer> StartAsync(string qop)
    {
        var catalog = new SampleCatalog(TimeProvider.System);
        await catalog.CreateTableAsync("sales", "orders", "hdfs://dcA/warehouse/sales/orders", ["dt"], Ct);
        var server = new ThriftMetastoreServer(catalog, kerberosQop: qop);
        server.Start();
        return server;
    }

    private static MetastoreEndpoint Endpoint(ThriftMetastoreServer server) => new("localhost", server.Port);

    [Theory]
    [InlineData("auth", "auth")]
    [InlineData("auth-conf", "auth-conf")]
    [InlineData("auth-int", "auth")]
    public async Task Client_TicketFromTheKdc_CallsTheKerberizedHms(string serverQop, string clientQop)
    {
        var realm = Realm();
        await KinitAliceAsync(realm);
        await using var server = await StartAsync(serverQop);
        await using var client = new MetastoreClient(Endpoint(server), TimeSpan.FromSeconds(10), new MetastoreSasl(Principal, clientQop));

        var table = await client.GetTableAsync("sales", "orders", Ct);
        var events = await client.GetCurrentEventIdAsync(Ct);

        Assert.Equal("hdfs://dcA/warehouse/sales/orders", table.Sd!.Location);
        Assert.True(events >= 0);
        Assert.StartsWith("alice@", Assert.Single(server.AuthenticatedPeers), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_WantsPrivacyServerOffersOnlyAuth_RefusedNamingTheLayers()
    {
        var realm = Realm();
        await KinitAliceAsync(realm);
        await using var server = await StartAsync("auth");
        await using var client = new MetastoreClient(Endpoint(server), TimeSpan.FromSeconds(10), new MetastoreSasl(Principal, "auth-conf"));

        var error = await Assert.ThrowsAsync<TTransportException>(() => client.GetCurrentEventIdAsync(Ct));

        Assert.Contains("accepts only AuthConf", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.AuthenticatedPeers);
    }

    [Fact]
    public async Task Client_NoTicket_RefusedAndServerStaysUp()
    {
        var realm = Realm();
        await RunAsync("kdestroy", "-q");
        await using var server = await StartAsync("auth");
        await using (var client = new MetastoreClient(Endpoint(server), TimeSpan.FromSeconds(10), new MetastoreSasl(Principal, "auth")))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => client.GetCurrentEventIdAsync(Ct));
        }

        await using (var plain = new MetastoreClient(Endpoint(server), TimeSpan.FromSeconds(10)))
        {
            // a client without SASL is dropped, not served and not hung
            await Assert.ThrowsAnyAsync<Exception>(() => plain.GetCurrentEventIdAsync(Ct));
        }

        await KinitAliceAsync(realm);
        await using var again = new MetastoreClient(Endpoint(server), TimeSpan.FromSeconds(10), new MetastoreSasl(Principal, "auth"));
        Assert.True(await again.GetCurrentEventIdAsync(Ct) >= 0);
    }
}
