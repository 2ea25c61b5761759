using FsCheck;
using FsCheck.Fluent;
using Unitization.Replication.Versions;
using Unitization.Router.Mounts;
using Unitization.Router.Resolution;

namespace Unitization.Router.Tests.Mounts;

/// <summary>
/// Random interleavings of writers (through the router, to whatever the primary is), the replicator copying to the
/// other copies, edit-log follow steps, version refreshes, readers in three datacenters, and primary switches between
/// them (begin, catch-up copies, complete): a reader is never served anything but the last write, and no write is lost.
/// </summary>
public sealed class PrimarySwitchPropertyTests
{
    private const string MountPath = "/warehouse/sales.db/orders";

    private enum Step
    {
        Write,
        Delete,
        Replicate,
        Follow,
        Refresh,
        Read,
        SwitchBegin,
        CatchUp,
        SwitchComplete,
    }

    [Fact]
    public void Read_AnyInterleavingWithPrimarySwitches_ServesOnlyTheLastWrite()
    {
        var operation = Gen.Elements(Enum.GetValues<Step>()).Zip(Gen.Choose(0, 2)).Zip(Gen.Choose(0, 2)).Select(o => (o.Item1.Item1, o.Item1.Item2, o.Item2));
        var scenario = operation.ListOf().Select(list => list.ToArray());
        Prop.ForAll(scenario.ToArbitrary(), Holds).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Read_SwitchToAShorterLog_OldRecordsNeverMakeACopyFresh()
    {
        // dcC's record of f0 counts dcA's txids (a long log); once dcB (a short log) is the primary it must not vouch for dcC
        var busy = Enumerable.Repeat((Step.Write, 1, 0), 20).ToArray();
        Assert.True(Holds(
        [
            .. busy, (Step.Write, 0, 0), (Step.Follow, 0, 0), (Step.Replicate, 0, 2), (Step.SwitchBegin, 0, 1), (Step.CatchUp, 0, 0),
            (Step.Follow, 0, 0), (Step.SwitchComplete, 0, 0), (Step.Write, 0, 0), (Step.Follow, 0, 0), (Step.Refresh, 0, 0),
            (Step.Read, 0, 2), (Step.Read, 0, 0), (Step.Read, 0, 1),
        ]));
    }

    [Fact]
    public void Resolve_WriteWhileSwitching_RefusedWithTheReason()
    {
        var h = Harness();
        var primarySwitch = new PrimarySwitch(h.Registry, h.Versions, h.ReplicaStore);
        Run(primarySwitch.BeginAsync(MountPath, CancellationToken.None));

        var route = h.Resolver.Resolve(MountPath + "/f0", "10.1.0.9", RouteIntent.Write);

        Assert.Equal(RouteReason.PrimarySwitching, route.Reason);
        Assert.Null(route.Datacenter);
        Assert.Contains("switching its primary", route.Explain(), StringComparison.Ordinal);
        primarySwitch.Abort(MountPath);
        Assert.Equal(RouteReason.WriteToPrimary, h.Resolver.Resolve(MountPath + "/f0", "10.1.0.9", RouteIntent.Write).Reason);
    }

    private static RouterHarness Harness()
    {
        var h = new RouterHarness();
        Assert.Empty(Run(h.Registry.PutAsync(new MountOptions { Path = MountPath, Destinations = [.. Datacenters.Select(dc => $"{dc}:{MountPath}")] }, CancellationToken.None)));
        return h;
    }

    private static readonly string[] Datacenters = ["dcA", "dcB", "dcC"];

    private static readonly string[] Clients = ["10.1.0.9", "10.2.0.9", "10.3.0.9"];

    private static bool Holds((Step Step, int File, int Dc)[] operations)
    {
        var h = Harness();
        var primarySwitch = new PrimarySwitch(h.Registry, h.Versions, h.ReplicaStore);
        var truth = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? switchingTo = null;
        var counter = 0;
        foreach (var (step, arg, dc) in operations)
        {
            var path = $"{MountPath}/f{arg}";
            var mount = h.Registry.Current.Match(MountPath)!;
            var primary = mount.Destinations[0].Datacenter;
            var other = Datacenters[dc] == primary ? Datacenters[(dc + 1) % 3] : Datacenters[dc];
            switch (step)
            {
                case Step.Write:
                    var route = h.Resolver.Resolve(path, "10.1.0.9", RouteIntent.Write);
                    if (route.Reason == RouteReason.WriteToPrimary)
                    {
                        var content = BitConverter.GetBytes(++counter);
                        h.Dc(route.Datacenter!).Write(path, content);
                        truth[path] = content;
                    }
                    else if (route.Reason != RouteReason.PrimarySwitching)
                    {
                        return false;
                    }

                    break;
                case Step.Delete when h.Resolver.Resolve(path, "10.1.0.9", RouteIntent.Write).Reason == RouteReason.WriteToPrimary:
                    Run(h.Dc(primary).DeleteAsync(path, recursive: true, CancellationToken.None));
                    truth.Remove(path);
                    break;
                case Step.Replicate:
                    // the replicator: the primary's txid read before the copy is the copy's version
                    Copy(h, primary, other, path);
                    break;
                case Step.Follow:
                    h.CatchUp();
                    break;
                case Step.Refresh:
                    Run(h.RefreshAsync());
                    break;
                case Step.Read:
                    var read = h.Resolver.Resolve(path, Clients[dc], RouteIntent.Read);
                    var served = h.Dc(read.Datacenter!).Read(read.PhysicalPath!);
                    var expected = truth.GetValueOrDefault(path);
                    if ((served is null) != (expected is null) || !(served ?? []).AsSpan().SequenceEqual(expected ?? []))
                    {
                        return false;
                    }

                    break;
                case Step.SwitchBegin when switchingTo is null:
                    Run(primarySwitch.BeginAsync(MountPath, CancellationToken.None));
                    switchingTo = other;
                    break;
                case Step.CatchUp when switchingTo is not null:
                    // the migration: every file as the primary holds it now, recorded at the mount path
                    var version = h.Dc(primary).LastTxId;
                    for (var i = 0; i < 3; i++)
                    {
                        var file = $"{MountPath}/f{i}";
                        if (h.Dc(primary).Read(file) is { } bytes)
                        {
                            h.Dc(switchingTo).Write(file, bytes);
                        }
                        else
                        {
                            Run(h.Dc(switchingTo).DeleteAsync(file, recursive: true, CancellationToken.None));
                        }
                    }

                    Run(h.ReplicaStore.RecordAsync(new ReplicaVersion(switchingTo, MountPath, version, h.Time.GetUtcNow()), CancellationToken.None));
                    break;
                case Step.SwitchComplete when switchingTo is not null:
                    var to = switchingTo;
                    var neither = Enumerable.Range(0, 3).All(i => h.Dc(primary).Read($"{MountPath}/f{i}") is null && h.Dc(to).Read($"{MountPath}/f{i}") is null);
                    if (Run(primarySwitch.TryCompleteAsync(MountPath, to, [.. Datacenters.Where(d => d != to)], neither, CancellationToken.None)))
                    {
                        switchingTo = null;
                        if (h.Registry.Current.Match(MountPath)!.Destinations[0].Datacenter != to)
                        {
                            return false;
                        }
                    }

                    break;
            }

            // no write is lost: the primary holds the last write of every file
            var now = h.Registry.Current.Match(MountPath)!.Destinations[0].Datacenter;
            for (var i = 0; i < 3; i++)
            {
                var file = $"{MountPath}/f{i}";
                var held = h.Dc(now).Read(file);
                var last = truth.GetValueOrDefault(file);
                if ((held is null) != (last is null) || !(held ?? []).AsSpan().SequenceEqual(last ?? []))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static void Copy(RouterHarness h, string from, string to, string path)
    {
        var version = h.Dc(from).LastTxId;
        if (h.Dc(from).Read(path) is { } content)
        {
            h.Dc(to).Write(path, content);
        }
        else
        {
            Run(h.Dc(to).DeleteAsync(path, recursive: true, CancellationToken.None));
        }

        var committed = Run(h.ReplicaStore.GetAsync(to, path, CancellationToken.None));
        if (committed is null || committed.SourceTxId < version)
        {
            Run(h.ReplicaStore.RecordAsync(new ReplicaVersion(to, path, version, h.Time.GetUtcNow()), CancellationToken.None));
        }
    }

    private static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Run(Task task) => task.GetAwaiter().GetResult();
}
