using System.Globalization;
using System.Security.Cryptography;
using Unitization.IntegrationTests.Processes;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Replication;

/// <summary>
/// <c>unitization migrate</c> as a real process killed with SIGKILL ten times at random points of a throttled
/// migration (issue 16): after each kill nothing is published at the target and no staging folder is visible through
/// the namespace; every run resumes from what the ones before verified, and the last one publishes a byte-identical
/// snapshot, a big file included (it resumes by verified chunks).
/// </summary>
public sealed class MigrationKillTests : IDisposable
{
    private const string Table = "/warehouse/sales.db/history";
    private const int Files = 12;
    private const int FileBytes = 1 << 20;
    private const int BigFileBytes = 64 << 20;
    private const int KillRounds = 10;
    private const long LinkBytesPerSecond = 2_000_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _data = new("migration-kill");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Migrate_KilledTenTimesAtRandomPoints_NothingVisibleUntilDoneThenByteIdentical()
    {
        var ct = TestContext.Current.CancellationToken;
        var config = WriteConfig();
        await WriteSourceAsync(ct);
        string[] arguments = ["migrate", "--source", $"dcA:{Table}", "--target", "dcB", "--parallel", "1", "--config", config];
        var seed = Environment.GetEnvironmentVariable("UNITIZATION_KILL_SEED") is { } s && int.TryParse(s, CultureInfo.InvariantCulture, out var given) ? given : 20261206;
        var random = new Random(seed);

        for (var round = 0; round < KillRounds; round++)
        {
            using var victim = CollectedProcess.StartUnitization(arguments);
            var at = TimeSpan.FromMilliseconds(random.Next(600, 2_500));
            var started = TimeProvider.System.GetTimestamp();
            await Eventually.TrueAsync(() => Task.FromResult(victim.Process.HasExited || TimeProvider.System.GetElapsedTime(started) >= at), Deadline, ct);
            Assert.False(victim.Process.HasExited, $"seed {seed}, round {round + 1}: the migration ended before its kill:\n{victim.Output}");
            victim.Kill();

            var said = $"seed {seed}, kill {round + 1} at {at.TotalMilliseconds} ms";
            Assert.False(Directory.Exists(Physical("dcB", Table)), $"{said}: something is published at dcB:{Table}\n{victim.Output}");
            var visible = await VisibleInDcBAsync(ct);
            Assert.False(visible.Table, $"{said}: dcB lists {Table}");
            Assert.DoesNotContain(visible.Root, p => p.StartsWith("/.unitization", StringComparison.Ordinal));
        }

        using var last = CollectedProcess.StartUnitization(arguments);
        using var finished = CancellationTokenSource.CreateLinkedTokenSource(ct);
        finished.CancelAfter(Deadline);
        await last.Process.WaitForExitAsync(finished.Token);
        Assert.True(last.Process.ExitCode == 0, last.Output);
        Assert.Equal(Checksums("dcA"), Checksums("dcB"));
        var done = await VisibleInDcBAsync(ct);
        Assert.True(done.Table);
        Assert.Equal(["/warehouse"], done.Root);
    }

    /// <summary>What a user of dcB sees through the namespace (as <c>fs ls</c> and WebHDFS do): its root, and whether the table is there.</summary>
    /// <remarks>
    /// Followed as a serving process follows it: a kill before the migration first opened dcB leaves no namespace
    /// there yet, which reads as empty.
    /// </remarks>
    private async Task<(List<string> Root, bool Table)> VisibleInDcBAsync(CancellationToken ct)
    {
        using var namespaces = new NamespaceCatalog(Topology(), TimeProvider.System, readOnly: true, awaitCreation: true);
        var dcB = namespaces.Get("dcB");
        var listed = new List<string>();
        await foreach (var entry in dcB.ListAsync("/", ct))
        {
            listed.Add(entry.Path);
        }

        return (listed, await dcB.GetStatusAsync(Table, ct) is not null);
    }

    private string WriteConfig()
    {
        var path = Path.Combine(_data.Path, "unitization.json");
        File.WriteAllText(path, $$"""
            {
              "DataFolder": "{{_data.Path}}",
              "Datacenters": [ { "Id": "dcA", "Kind": "local", "Root": "dcA" }, { "Id": "dcB", "Kind": "local", "Root": "dcB" } ],
              "StateStore": { "Provider": "sqlite", "Path": "state.db" },
              "Throttle": { "Links": [ { "From": "dcA", "To": "dcB", "BytesPerSecond": {{LinkBytesPerSecond}} } ], "ServiceUrl": "" },
              "Replication": { "MigrationChunkSize": 1048576 }
            }
            """);
        return path;
    }

    private TopologyOptions Topology() => new()
    {
        DataFolder = _data.Path,
        Datacenters = [new DatacenterOptions { Id = "dcA", Root = "dcA" }, new DatacenterOptions { Id = "dcB", Root = "dcB" }],
    };

    private async Task WriteSourceAsync(CancellationToken ct)
    {
        using var namespaces = new NamespaceCatalog(Topology(), TimeProvider.System);
        var dcA = namespaces.Get("dcA");
        for (var i = 0; i <= Files; i++)
        {
            var content = new byte[i == Files ? BigFileBytes : FileBytes];
            new Random(i).NextBytes(content);
            await dcA.CreateAsync($"{Table}/dt={i % 3}/part-{i}", (stream, c) => stream.WriteAsync(content, c).AsTask(), overwrite: false, ct);
        }
    }

    private string Physical(string dc, string path) => Path.Combine(_data.Path, dc, "files", path.TrimStart('/'));

    private Dictionary<string, string> Checksums(string dc)
    {
        var root = Physical(dc, Table);
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);
    }
}
