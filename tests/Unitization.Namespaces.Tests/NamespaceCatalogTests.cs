using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Unitization.Namespaces.Configuration;
using Unitization.Namespaces.Local;
using Unitization.TestUtils;
using Unitization.TestUtils.Namespaces;

namespace Unitization.Namespaces.Tests;

public sealed class NamespaceCatalogTests : IDisposable
{
    private readonly TempDirectory _data = new("unitization-catalog");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Get_LocalDatacenter_OpensUnderTheDataFolder()
    {
        using var catalog = new NamespaceCatalog(Topology(("dcA", "local"), ("dcB", "local")), new FakeTimeProvider());

        var ns = catalog.Get("dcB");
        await ns.MkdirsAsync("/x", TestContext.Current.CancellationToken);

        Assert.Equal(["dcA", "dcB"], catalog.Datacenters);
        Assert.Same(ns, catalog.Get("dcB"));
        Assert.True(Directory.Exists(Path.Join(_data.Path, "roots", "dcB", "files", "x")));
        Assert.False(Directory.Exists(Path.Join(_data.Path, "roots", "dcA")));
    }

    [Fact]
    public async Task Get_AnotherWriterHoldsTheLock_RefusedUntilItStopsThenOpensAndWritesWhileAFollowerReads()
    {
        var topology = Topology(("dcA", "local"));
        var ct = TestContext.Current.CancellationToken;
        var writer = new NamespaceCatalog(topology, new FakeTimeProvider());
        await writer.Get("dcA").MkdirsAsync("/a", ct);
        using var standby = new NamespaceCatalog(topology, new FakeTimeProvider());
        using var follower = new NamespaceCatalog(topology, new FakeTimeProvider(), readOnly: true);

        Assert.Throws<NamespaceWriterHeldException>(() => standby.Get("dcA"));
        Assert.Throws<NamespaceWriterHeldException>(() => standby.Get("dcA")); // tried again, not remembered
        Assert.Empty(standby.Problems()); // a standby is no problem of the namespace
        Assert.Equal(new TxId(1), follower.Get("dcA").LastTxId); // a follower takes no lock
        writer.Dispose();

        await standby.Get("dcA").MkdirsAsync("/b", ct);

        Assert.True(follower.ReadOnly);
        Assert.Equal(new TxId(2), follower.Get("dcA").LastTxId);
        Assert.NotNull(await follower.Get("dcA").GetStatusAsync("/b", ct));
    }

    [Fact]
    public async Task Get_FollowerBeforeTheWriterCreatedTheNamespace_EmptyThenFollowsItsEdits()
    {
        var topology = Topology(("dcA", "local"));
        var ct = TestContext.Current.CancellationToken;
        using var follower = new NamespaceCatalog(topology, new FakeTimeProvider(), readOnly: true, awaitCreation: true);
        var followed = follower.Get("dcA");
        Assert.Equal(TxId.None, followed.LastTxId);
        using var tail = CancellationTokenSource.CreateLinkedTokenSource(ct);
        tail.CancelAfter(TimeSpan.FromSeconds(30));
        var first = followed.EditsSinceAsync(TxId.None, follow: true, tail.Token).FirstAsync(tail.Token);

        using var writer = new NamespaceCatalog(topology, new FakeTimeProvider());
        await writer.Get("dcA").MkdirsAsync("/a", ct);

        Assert.Equal("/a", (await first).Path);
        Assert.Equal(new TxId(1), followed.LastTxId);
        await Assert.ThrowsAsync<InvalidOperationException>(() => followed.MkdirsAsync("/b", ct));
    }

    [Fact]
    public async Task Get_DatacenterAccessFollow_ThatOneFollowsAnotherWritersLogWhileTheRestIsWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        using var primaryWriter = new NamespaceCatalog(Topology(("dcA", "local")), new FakeTimeProvider());
        var topology = Topology(("dcA", "local"), ("dcB", "local"));
        topology.Datacenters[0].Access = "follow";
        using var replicator = new NamespaceCatalog(topology, new FakeTimeProvider());

        var source = replicator.Get("dcA"); // no writer lock: the other catalog keeps writing dcA
        await primaryWriter.Get("dcA").MkdirsAsync("/a", ct);
        await replicator.Get("dcB").MkdirsAsync("/a", ct);

        Assert.True(replicator.Follows("dcA"));
        Assert.False(replicator.Follows("dcB"));
        Assert.NotNull(await source.GetStatusAsync("/a", ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => source.MkdirsAsync("/b", ct));
        var invalid = Topology(("dcA", "local"));
        invalid.Datacenters[0].Access = "read";
        Assert.Contains(invalid.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(invalid)), r => r.MemberNames.Contains("Datacenters:0:Access"));
    }

    [Fact]
    public async Task HealthCheck_CorruptLogAndUnappliedEdit_DegradedNamingEachDatacenter()
    {
        var topology = Topology(("dcA", "local"), ("dcB", "local"), ("dcC", "local"));
        using (var setup = new NamespaceCatalog(topology, new FakeTimeProvider()))
        {
            await setup.Get("dcA").MkdirsAsync("/a", TestContext.Current.CancellationToken);
            await setup.Get("dcB").MkdirsAsync("/b", TestContext.Current.CancellationToken);
            await setup.Get("dcB").MkdirsAsync("/c", TestContext.Current.CancellationToken);
        }

        // dcA: the log's magic damaged; dcB: its last edit's folder replaced by a file, so redoing the Mkdirs fails
        var dcALog = Path.Join(_data.Path, "roots", "dcA", "edits", "edits.log");
        var bytes = await File.ReadAllBytesAsync(dcALog, TestContext.Current.CancellationToken);
        bytes[0] = (byte)'X';
        await File.WriteAllBytesAsync(dcALog, bytes, TestContext.Current.CancellationToken);
        Directory.Delete(Path.Join(_data.Path, "roots", "dcB", "files", "c"));
        await File.WriteAllTextAsync(Path.Join(_data.Path, "roots", "dcB", "files", "c"), "in the way", TestContext.Current.CancellationToken);
        using var catalog = new NamespaceCatalog(topology, new FakeTimeProvider());
        var health = new NamespaceHealthCheck(catalog);
        var healthy = await health.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Throws<EditLogCorruptException>(() => catalog.Get("dcA"));
        Assert.Single(((LocalNamespace)catalog.Get("dcB")).UnappliedEdits);
        var result = await health.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("corrupt at byte 0", (string)result.Data["dcA"], StringComparison.Ordinal);
        Assert.Contains("fs recover --namespace dcB", (string)result.Data["dcB"], StringComparison.Ordinal);
        Assert.False(result.Data.ContainsKey("dcC"));
    }

    [Fact]
    public void Get_UnknownDatacenter_NamesItAndTheKnownOnes()
    {
        using var catalog = new NamespaceCatalog(Topology(("dcA", "local")), new FakeTimeProvider());

        var ex = Assert.Throws<KeyNotFoundException>(() => catalog.Get("dcZ"));

        Assert.Contains("'dcZ'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("dcA", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_HdfsDatacenterWithoutAFactory_RefusedNamingItAndTheKind()
    {
        using var catalog = new NamespaceCatalog(Topology(("dcA", "local"), ("dcH", "webhdfs")), new FakeTimeProvider());

        var ex = Assert.Throws<NotSupportedException>(() => catalog.Get("dcH"));

        Assert.Contains("'dcH'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no HDFS namespace support registered", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot open", catalog.Problems()["dcH"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hdfs")]
    [InlineData("webhdfs")]
    public void Get_HdfsDatacenter_BuiltOnceByTheRegisteredFactoryAndDisposedWithTheCatalog(string kind)
    {
        var factory = new RecordingFactory();
        InMemoryNamespace built;
        using (var catalog = new NamespaceCatalog(Topology(("dcA", "local"), ("dcH", kind)), new FakeTimeProvider(), factories: [factory]))
        {
            built = Assert.IsType<InMemoryNamespace>(catalog.Get("dcH"));
            Assert.Same(built, catalog.Get("dcH"));
            Assert.Equal(["dcH"], factory.Built);
            Assert.Empty(catalog.Problems());
        }

        Assert.True(built.Disposed);
    }

    [Fact]
    public void AddNamespaces_CalledByTwoRoles_RegistersOneCatalogFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataFolder"] = _data.Path,
            ["Datacenters:0:Id"] = "dcA",
            ["Datacenters:0:Kind"] = "local",
            ["Datacenters:0:Root"] = "dcA",
        }).Build();
        var services = new ServiceCollection().AddNamespaces(configuration).AddNamespaces(configuration);

        using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(INamespaceCatalog));
        Assert.Equal(["dcA"], provider.GetRequiredService<INamespaceCatalog>().Datacenters);
    }

    private TopologyOptions Topology(params (string Id, string Kind)[] datacenters) => new()
    {
        DataFolder = _data.Path,
        Datacenters = [.. datacenters.Select(d => new DatacenterOptions
        {
            Id = d.Id,
            Kind = d.Kind,
            Root = d.Kind == "local" ? Path.Join("roots", d.Id) : null,
            WebHdfsUrl = d.Kind is "hdfs" or "webhdfs" ? new Uri("http://nn1.example:9870") : null,
        })],
    };

    private sealed class RecordingFactory : INamespaceFactory
    {
        public List<string> Built { get; } = [];

        public InMemoryNamespace? Last { get; private set; }

        public string Kind => "hdfs";

        public INamespace Create(DatacenterOptions datacenter, TopologyOptions topology)
        {
            Built.Add(datacenter.Id);
            return Last = new InMemoryNamespace(datacenter.Id);
        }
    }
}
