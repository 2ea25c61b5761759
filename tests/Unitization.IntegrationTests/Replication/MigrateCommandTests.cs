using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Unitization.IntegrationTests.Processes;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Replication;

/// <summary>
/// <c>unitization migrate</c> as a real process, on a link budgeted at 5 MB/s, asked for <c>--rate 1GB/s</c> (issue 16,
/// case 8: the CLI's rate bypassed the link's budget), interrupted with SIGINT (case 9: "Ctrl-C prints nothing"), then
/// resumed with the command it printed: the resumed run copies only what was not kept, never faster than the link's
/// budget allows, and the replica is byte-identical.
/// </summary>
public sealed partial class MigrateCommandTests : IDisposable
{
    private const string Table = "/warehouse/sales.db/orders";
    private const int Files = 20;
    private const int FileBytes = 1 << 20;
    private const double LinkBytesPerSecond = 5_000_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _data = new("migrate-cli");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Migrate_InterruptedThenResumed_SaysWhatItKeptAndResumesWithinTheLinkBudget()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("sends SIGINT with kill(1)");
        }

        var ct = TestContext.Current.CancellationToken;
        var config = WriteConfig();
        await WriteSourceAsync(ct);
        string[] arguments = ["migrate", "--source", $"dcA:{Table}", "--target", "dcB", "--rate", "1GB/s", "--parallel", "2", "--config", config];

        // first run: interrupted once a few files are verified
        using var first = CollectedProcess.StartUnitization(arguments);
        Assert.True(
            await Eventually.TrueAsync(() => Task.FromResult(DoneLines() >= 3 || first.Process.HasExited), Deadline, ct),
            "no file was verified:\n" + first.Output);
        Assert.False(first.Process.HasExited, "finished before it could be interrupted:\n" + first.Output);
        using (var kill = Process.Start("kill", ["-INT", first.Process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync(ct);
        }

        using var exited = CancellationTokenSource.CreateLinkedTokenSource(ct);
        exited.CancelAfter(Deadline);
        await first.Process.WaitForExitAsync(exited.Token);
        var said = first.Output;
        Assert.Equal(130, first.Process.ExitCode);
        Assert.Matches(@"Kept: \d+ of 20 files verified in dcB's staging", said);
        Assert.Contains($"Nothing is published at dcB:{Table}", said, StringComparison.Ordinal);
        var resume = ResumeLine().Match(said);
        Assert.True(resume.Success, "no resume command:\n" + said);
        Assert.Contains($"--source dcA:{Table} --target dcB --parallel 2 --rate 1GB/s --config {config}", resume.Groups[1].Value, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Physical("dcB", Table)), "the interrupted migration published something");

        // second run: the printed command, as a person would paste it
        var words = resume.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["unitization", "migrate"], words[..2]);
        var watch = Stopwatch.StartNew();
        using var second = CollectedProcess.StartUnitization(words[1..]);
        using var finished = CancellationTokenSource.CreateLinkedTokenSource(ct);
        finished.CancelAfter(Deadline);
        await second.Process.WaitForExitAsync(finished.Token);
        watch.Stop();
        Assert.True(second.Process.ExitCode == 0, second.Output);

        var copied = CopiedByThisRun().Match(second.Output);
        Assert.True(copied.Success, second.Output);
        var bytes = long.Parse(copied.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.InRange(bytes, 1, ((long)Files * FileBytes) - (3L * FileBytes));
        // inside the link's budget: never more than its rate over the time taken (process start included), plus its burst
        var allowed = (LinkBytesPerSecond * watch.Elapsed.TotalSeconds) + (LinkBytesPerSecond * 0.05) + (2 * FileBytes);
        Assert.InRange(bytes / allowed, 0, 1.0);
        Assert.Equal(Checksums("dcA"), Checksums("dcB"));
    }

    private int DoneLines()
    {
        var folder = Path.Combine(_data.Path, "migrations");
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "done.log", SearchOption.AllDirectories).Sum(f => File.ReadAllText(f).Count(c => c == '\n'))
            : 0;
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
              "Replication": { }
            }
            """);
        return path;
    }

    private async Task WriteSourceAsync(CancellationToken ct)
    {
        var topology = new TopologyOptions
        {
            DataFolder = _data.Path,
            Datacenters = [new DatacenterOptions { Id = "dcA", Root = "dcA" }, new DatacenterOptions { Id = "dcB", Root = "dcB" }],
        };
        using var namespaces = new NamespaceCatalog(topology, TimeProvider.System);
        var dcA = namespaces.Get("dcA");
        for (var i = 0; i < Files; i++)
        {
            var content = new byte[FileBytes];
            new Random(i).NextBytes(content);
            await dcA.CreateAsync($"{Table}/dt={i % 4}/part-{i}", (s, c) => s.WriteAsync(content, c).AsTask(), overwrite: false, ct);
        }
    }

    private string Physical(string dc, string path) => Path.Combine(_data.Path, dc, "files", path.TrimStart('/'));

    private Dictionary<string, string> Checksums(string dc)
    {
        var root = Physical(dc, Table);
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);
    }

    [GeneratedRegex(@"Resume with:\s*\n\s*(unitization migrate [^\n]+)")]
    private static partial Regex ResumeLine();

    [GeneratedRegex(@"\(([\d,]+) copied by this run\)")]
    private static partial Regex CopiedByThisRun();
}
