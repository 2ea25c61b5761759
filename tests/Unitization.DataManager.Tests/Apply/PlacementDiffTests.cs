using Unitization.DataManager.Apply;
using Unitization.DataManager.Plans;

namespace Unitization.DataManager.Tests.Apply;

public class PlacementDiffTests
{
    [Fact]
    public async Task ComputeAsync_NewReplicaAndMovedPrimary_BootstrapMoveAndRetireWithBytesAndTime()
    {
        var world = new World();
        world.Mounts["/warehouse/sales/orders"] = new DatasetCopies("dcA", ["dcC"]);
        world.Sizes[("dcA", "/warehouse/sales/orders")] = 400_000_000;
        world.Sizes[("dcA", "/warehouse/sales/customers")] = 100_000_000;
        var plan = Plan(
            new PlanDataset("hive://metastore", "sales.orders", "dcB", ["dcA"], 1e9), // primary moves, dcC dropped
            new PlanDataset("hive://metastore", "sales.customers", "dcA", ["dcB"], 1e8)); // under /warehouse's mount: a new replica

        var changes = await PlacementDiff.ComputeAsync(plan, [], world, TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                "move-primary:hive://metastore/sales.orders:dcB",
                "add-replica:hive://metastore/sales.customers:dcB",
                "retire-replica:hive://metastore/sales.orders:dcC",
            ],
            changes.Changes.Select(c => c.Id));
        var move = changes.Changes[0];
        Assert.Equal(("dcA", "dcB", 400_000_000L, 4.0), (move.From, move.To, move.Bytes!.Value, move.EstimatedSeconds!.Value)); // 100 MB/s link
        var add = changes.Changes[1];
        Assert.Equal(("dcA", 100_000_000L, 1.0), (add.From, add.Bytes!.Value, add.EstimatedSeconds!.Value));
        Assert.Equal(0, changes.Changes[2].Bytes);
        Assert.Equal(500_000_000, changes.Bytes);
        Assert.Equal(5.0, changes.EstimatedSeconds);
        Assert.Empty(changes.Unmapped);
    }

    [Fact]
    public async Task ComputeAsync_AppliedAsPlanned_NoChanges()
    {
        var world = new World();
        var plan = Plan(new PlanDataset("hive://metastore", "sales.orders", "dcB", ["dcA"], 1e9));
        AppliedDataset[] applied = [new("hive://metastore", "sales.orders", "/warehouse/sales/orders", "dcB", ["dcA"], 1, DateTimeOffset.UnixEpoch)];

        var changes = await PlacementDiff.ComputeAsync(plan, applied, world, TestContext.Current.CancellationToken);

        Assert.Empty(changes.Changes);
        Assert.Equal(0, changes.Bytes);
    }

    [Fact]
    public async Task ComputeAsync_DatasetWithoutPath_ListedAsUnmapped()
    {
        var plan = Plan(new PlanDataset("file", "/tmp/scratch", "dcA", ["dcB"], 10));

        var changes = await PlacementDiff.ComputeAsync(plan, [], new World(), TestContext.Current.CancellationToken);

        Assert.Empty(changes.Changes);
        Assert.Equal(["file//tmp/scratch"], changes.Unmapped);
    }

    [Fact]
    public async Task ComputeAsync_MoveToAReplica_OldPrimaryKeptWhenPlanned()
    {
        var world = new World();
        world.Mounts["/warehouse/sales/orders"] = new DatasetCopies("dcA", ["dcB"]);
        var plan = Plan(new PlanDataset("hive://metastore", "sales.orders", "dcB", ["dcA"], 1e9));

        var changes = await PlacementDiff.ComputeAsync(plan, [], world, TestContext.Current.CancellationToken);

        var only = Assert.Single(changes.Changes);
        Assert.Equal(PlacementChangeKind.MovePrimary, only.Kind);
        Assert.Null(only.EstimatedSeconds); // nothing at the path yet: size unknown, so is the time
    }

    private static PlacementPlan Plan(params PlanDataset[] datasets) => new() { Version = 3, Datacenters = ["dcA", "dcB", "dcC"], Datasets = [.. datasets] };

    /// <summary>The world as the actuator sees it: mounts at dataset paths (else /warehouse's, primary dcA), sizes, 100 MB/s links.</summary>
    internal sealed class World : IPlacementActuator
    {
        public Dictionary<string, DatasetCopies> Mounts { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string, string), long> Sizes { get; } = [];

        public Task<string?> PathOfAsync(string datasetNamespace, string datasetName, CancellationToken cancellationToken) =>
            Task.FromResult(datasetNamespace.StartsWith("hive://", StringComparison.Ordinal) ? "/warehouse/" + datasetName.Replace('.', '/') : null);

        public DatasetCopies? CopiesOf(string path) => Mounts.GetValueOrDefault(path) ?? new DatasetCopies("dcA", []);

        public Task<long?> SizeAsync(string datacenter, string path, CancellationToken cancellationToken) =>
            Task.FromResult(Sizes.TryGetValue((datacenter, path), out var size) ? size : (long?)null);

        public long? LinkBytesPerSecond(string from, string to) => 100_000_000;

        public Task CopyAsync(string from, string path, string to, string dataset, IProgress<double> progress, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SetMountAsync(string path, string primary, IReadOnlyList<string> replicas, CancellationToken cancellationToken)
        {
            Mounts[path] = new DatasetCopies(primary, replicas);
            return Task.CompletedTask;
        }

        public Task MovePrimaryAsync(string path, string from, string to, IReadOnlyList<string> replicas, string dataset, IProgress<double> progress, CancellationToken cancellationToken) =>
            SetMountAsync(path, to, replicas, cancellationToken);

        public Task RetireAsync(string path, string datacenter, string dataset, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
