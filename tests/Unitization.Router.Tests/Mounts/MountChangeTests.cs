using Unitization.Router.Mounts;
using Unitization.Router.Resolution;

namespace Unitization.Router.Tests.Mounts;

public sealed class MountChangeTests
{
    [Fact]
    public async Task PutAndDelete_WhileReadsRun_EveryReadSeesOneWholeTable()
    {
        var h = new RouterHarness();
        h.CatchUp();
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var reads = 0L;
        using var started = new CountdownEvent(2);
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var first = true;
            while (!stop.IsCancellationRequested)
            {
                var route = h.Resolver.Resolve("/warehouse/db2/t/x", "10.3.0.1", RouteIntent.Read);

                // either the /warehouse mount (primary dcA) or the API mount /warehouse/db2 (primary dcC); never a mix
                var consistent = route.Mount!.Path switch
                {
                    "/warehouse" => route.Datacenter == "dcA" && route.PhysicalPath == "/warehouse/db2/t/x",
                    "/warehouse/db2" => route.Datacenter == "dcC" && route.PhysicalPath == "/db2/t/x",
                    _ => false,
                };
                if (!consistent)
                {
                    Interlocked.Increment(ref failures);
                }

                Interlocked.Increment(ref reads);
                if (first)
                {
                    first = false;
                    started.Signal();
                }
            }
        })).ToArray();

        // the mount changes must overlap the reads: start them once both readers are running
        Assert.True(started.Wait(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken), "the reader tasks never started");

        var db2 = new MountOptions { Path = "/warehouse/db2", Destinations = ["dcC:/db2", "dcB:/db2"] };
        for (var i = 0; i < 200; i++)
        {
            Assert.Empty(await h.Registry.PutAsync(db2, CancellationToken.None));
            Assert.Equal("dcC", h.Resolver.Resolve("/warehouse/db2/t/x", "10.3.0.1", RouteIntent.Read).Datacenter);
            Assert.Equal(MountRemoval.Removed, await h.Registry.DeleteAsync("/warehouse/db2", CancellationToken.None));
            Assert.Equal("dcA", h.Resolver.Resolve("/warehouse/db2/t/x", "10.3.0.1", RouteIntent.Read).Datacenter);
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Equal(0, failures);
        Assert.True(Interlocked.Read(ref reads) > 0);
    }

    [Fact]
    public async Task Delete_ConfiguredMount_RefusedAndKept()
    {
        var h = new RouterHarness();
        Assert.Equal(MountRemoval.Configured, await h.Registry.DeleteAsync("/warehouse", CancellationToken.None));
        Assert.Equal(MountRemoval.NotFound, await h.Registry.DeleteAsync("/nothing", CancellationToken.None));
        Assert.NotNull(h.Registry.Current.Match("/warehouse/x"));
    }

    [Fact]
    public async Task Put_Invalid_ReturnsErrorsAndChangesNothing()
    {
        var h = new RouterHarness();
        var errors = await h.Registry.PutAsync(new MountOptions { Path = "/x", Destinations = ["dcQ:/x"] }, CancellationToken.None);
        Assert.Contains(errors, e => e.Contains("'dcQ' is not a configured datacenter", StringComparison.Ordinal));
        Assert.Null(h.Registry.Current.Match("/x"));
    }

    [Fact]
    public async Task Reload_MountStoredByAnotherInstance_Applies()
    {
        var h = new RouterHarness();
        await h.MountStore.PutAsync(new MountOptions { Path = "/shared", Destinations = ["dcB:/shared"] }, h.Time.GetUtcNow(), CancellationToken.None);
        Assert.Null(h.Registry.Current.Match("/shared/x"));
        await h.Registry.ReloadAsync(CancellationToken.None);
        Assert.Equal("api", h.Registry.Current.Match("/shared/x")?.Source);
    }
}
