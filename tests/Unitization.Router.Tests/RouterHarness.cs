using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Unitization.Analytics.Traffic;
using Unitization.Namespaces;
using Unitization.Router.Addresses;
using Unitization.Router.Api;
using Unitization.Router.Gateway;
using Unitization.Router.Mounts;
using Unitization.Router.Resolution;
using Unitization.Router.Security;
using Unitization.Router.Versions;
using Unitization.StateStore;
using Unitization.TestUtils.Namespaces;
using Unitization.TestUtils.Replication;
using Unitization.Throttle.Budget;

namespace Unitization.Router.Tests;

/// <summary>
/// The router's parts over in-memory namespaces (dcA, dcB, dcC) and an in-memory replica version store, with the
/// edit-log follow and the replica-version refresh driven by the test (<see cref="CatchUp"/>, <see cref="RefreshAsync"/>).
/// </summary>
internal sealed class RouterHarness
{
    /// <param name="present">Called with the catalog before the router's parts are built (e.g. to present dcA as an HDFS namespace).</param>
    /// <param name="stateDatabase">The state store delegation tokens live in (none: a harness that issues no tokens).</param>
    /// <param name="catchUp">The bounds of a catch-up with an HDFS primary, on the real clock (default: the options' timeout, the fake clock).</param>
    public RouterHarness(
        RouterOptions? options = null, Action<InMemoryNamespaceCatalog>? present = null, IStateDatabase? stateDatabase = null, (TimeSpan Timeout, TimeSpan IndexWait)? catchUp = null)
    {
        Options = options ?? DefaultOptions();
        var routerOptions = Microsoft.Extensions.Options.Options.Create(Options);
        var clientAddress = new ClientAddress(TrustedProxySet.Build(Options.TrustedProxies, out _));
        Tokens = new DelegationTokenManager(new StateStoreDelegationTokenStore(stateDatabase ?? new NoStateDatabase()), routerOptions, Time);
        Catalog = new InMemoryNamespaceCatalog("dcA", "dcB", "dcC");
        present?.Invoke(Catalog);
        Registry = new MountRegistry(Microsoft.Extensions.Options.Options.Create(Options), Catalog, MountStore, Time, NullLogger<MountRegistry>.Instance);
        Versions = catchUp is { } bounds
            ? new VersionService(Catalog, bounds.Timeout, bounds.IndexWait, TimeProvider.System)
            : new VersionService(Catalog, Options.PrimaryCatchUpTimeout, null, Time);
        Networks = ClientNetworkMap.Build(Options.ClientNetworks, Options.DefaultDatacenter, out var errors);
        Assert.Empty(errors);
        Resolver = new RouteResolver(Registry, Networks, Versions);
        Freshness = new PathFreshness(Registry, Versions, Microsoft.Extensions.Options.Options.Create(Options));
        Gateway = new WebHdfsGateway(
            Resolver,
            clientAddress,
            Catalog,
            new CrossDatacenterRead(Budget, Traffic, Time, NullLogger<CrossDatacenterRead>.Instance),
            ReplicaStore,
            routerOptions,
            new WebHdfsGuard(routerOptions, clientAddress, Tokens),
            new WebHdfsTokenOperations(Tokens));
    }

    public RouterOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));

    public InMemoryNamespaceCatalog Catalog { get; }

    public InMemoryMountStore MountStore { get; } = new();

    public InMemoryReplicaVersionStore ReplicaStore { get; } = new();

    public MountRegistry Registry { get; }

    public VersionService Versions { get; }

    public ClientNetworkMap Networks { get; }

    public RouteResolver Resolver { get; }

    public PathFreshness Freshness { get; }

    public WebHdfsGateway Gateway { get; }

    public DelegationTokenManager Tokens { get; }

    public RecordingBudget Budget { get; } = new();

    public RecordingTrafficRecorder Traffic { get; } = new();

    public static RouterOptions DefaultOptions() => new()
    {
        DefaultDatacenter = "dcA",
        ClientNetworks = new(StringComparer.Ordinal)
        {
            ["dcA"] = ["10.1.0.0/16", "fd00:a::/32"],
            ["dcB"] = ["10.2.0.0/16", "fd00:b::/32"],
            ["dcC"] = ["10.3.0.0/16"],
        },
        TrustedProxies = ["127.0.0.1/32"],
        Mounts =
        [
            new MountOptions { Path = "/warehouse", Destinations = ["dcA:/warehouse", "dcB:/warehouse"] },
            new MountOptions { Path = "/tmp", Follow = true },
            new MountOptions { Path = "/archive", ReadOnly = true, Destinations = ["dcB:/archive", "dcC:/archive"] },
        ],
        // the gateway's behaviour tests run as insecure WebHDFS (user.name) with every path writable by anyone;
        // the security tests (Security/) set their own rules
        WebHdfs = new WebHdfsSecurityOptions { Insecure = true, WriteAcl = [new WriteAclOptions { Path = "/", Users = ["*"] }] },
    };

    public InMemoryNamespace Dc(string datacenter) => Catalog[datacenter];

    /// <summary>Applies every edit the namespaces have logged to the version index (what the follower does).</summary>
    public void CatchUp()
    {
        foreach (var dc in Catalog.Datacenters)
        {
            CatchUp(dc, int.MaxValue);
        }
    }

    /// <summary>Applies up to <paramref name="count"/> pending edits of one namespace.</summary>
    public void CatchUp(string datacenter, int count)
    {
        var index = Versions.IndexOf(datacenter);
        foreach (var edit in Dc(datacenter).Edits.Where(e => e.TxId > index.Position).Take(count))
        {
            index.Apply(edit);
        }
    }

    /// <summary>Follows every edit log to its end and re-reads the replica versions: the router's view settles.</summary>
    public async Task SettleAsync()
    {
        CatchUp();
        await RefreshAsync();
    }

    /// <summary>Re-reads the replica versions from the store (what the refresher does).</summary>
    public async Task RefreshAsync()
    {
        foreach (var dc in Catalog.Datacenters)
        {
            Versions.Replicas.Replace(dc, await ReplicaStore.ListAsync(dc, "/", CancellationToken.None));
        }
    }

    /// <summary>Copies a file from dcA to dcB the way the replicator does: the version is the txid read before the copy.</summary>
    public async Task CopyAsync(string path)
    {
        var version = Dc("dcA").LastTxId;
        var content = Dc("dcA").Read(path) ?? throw new FileNotFoundException(path);
        Dc("dcB").Write(path, content);
        await ReplicaStore.RecordAsync(new Replication.Versions.ReplicaVersion("dcB", path, version, Time.GetUtcNow()), CancellationToken.None);
    }

    /// <summary>No state store: a harness that issues no delegation tokens needs none.</summary>
    internal sealed class NoStateDatabase : IStateDatabase
    {
        public string Provider => "none";

        public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<System.Data.Common.DbConnection> OpenAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException("this RouterHarness has no state store: pass one to issue delegation tokens");
    }

    internal sealed class InMemoryMountStore : IMountStore
    {
        private readonly Dictionary<string, MountOptions> _mounts = new(StringComparer.Ordinal);

        public Task<IReadOnlyList<MountOptions>> ListAsync(CancellationToken cancellationToken)
        {
            lock (_mounts)
            {
                return Task.FromResult<IReadOnlyList<MountOptions>>([.. _mounts.Values]);
            }
        }

        public Task PutAsync(MountOptions mount, DateTimeOffset now, CancellationToken cancellationToken)
        {
            lock (_mounts)
            {
                _mounts[mount.Path] = mount;
            }

            return Task.CompletedTask;
        }

        public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
        {
            lock (_mounts)
            {
                return Task.FromResult(_mounts.Remove(path));
            }
        }
    }

    internal sealed class RecordingBudget : IBandwidthBudget
    {
        public List<(LinkId Link, TrafficPriority Priority, string Tenant, long Bytes)> Grants { get; } = [];

        public ValueTask AcquireAsync(LinkId link, TrafficPriority priority, string tenant, long bytes, CancellationToken cancellationToken)
        {
            lock (Grants)
            {
                Grants.Add((link, priority, tenant, bytes));
            }

            return ValueTask.CompletedTask;
        }
    }

    internal sealed class RecordingTrafficRecorder : ITrafficRecorder
    {
        public List<TrafficRecord> Records { get; } = [];

        public void Record(TrafficRecord record)
        {
            lock (Records)
            {
                Records.Add(record);
            }
        }
    }
}
