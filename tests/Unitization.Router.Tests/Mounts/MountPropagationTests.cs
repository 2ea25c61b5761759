using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Router.Mounts;
using Unitization.StateStore.Changes;
using Unitization.TestUtils.Namespaces;
using Unitization.TestUtils.Servers;
using Unitization.TestUtils.StateStore;

namespace Unitization.Router.Tests.Mounts;

/// <summary>Two router instances over one real PostgreSQL: a mount changed through one is in force on the other.</summary>
public sealed class MountPropagationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PutAndDelete_OnOneInstance_InForceOnTheOtherWithoutPolling()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fleet = await FleetPair<Instance>.StartAsync((store, _, c) => InstanceAsync(store, c), ct);
        var (first, second) = (fleet.First.Registry, fleet.Second.Registry);

        var errors = await first.PutAsync(new MountOptions { Path = "/shared", Destinations = ["dcB:/shared"] }, ct);

        Assert.Empty(errors);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(second.Current.Match("/shared/x")?.Source == "api"), Deadline, ct), "the other instance never applied the mount");
        Assert.Equal(MountRemoval.Removed, await first.DeleteAsync("/shared", ct));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(second.Current.Match("/shared/x") is null), Deadline, ct), "the other instance kept a removed mount");
    }

    private static async Task<Instance> InstanceAsync(TestStateStore store, CancellationToken ct)
    {
        var database = store.OpenAnother([StateStoreMountStore.Migration]);
        var feed = await store.StartFeedAsync(ct);
        var registry = new MountRegistry(
            Microsoft.Extensions.Options.Options.Create(new RouterOptions { Mounts = [] }),
            new InMemoryNamespaceCatalog("dcA", "dcB"),
            new StateStoreMountStore(database),
            TimeProvider.System,
            NullLogger<MountRegistry>.Instance)
        {
            Changes = feed.Feed,
        };

        // what StateRefresher does in the router role (its timer is not running here: only the notice can carry the change)
        feed.Feed.Subscribe(StateChangeKinds.Mounts, registry.ReloadAsync);
        return new Instance(registry, feed);
    }

    /// <summary>One router instance: its mount registry and its change feed (disposed with it).</summary>
    private sealed record Instance(MountRegistry Registry, TestChangeFeed Feed) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Feed.DisposeAsync();
    }
}
