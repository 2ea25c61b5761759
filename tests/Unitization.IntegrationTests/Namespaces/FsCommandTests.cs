using Unitization.Host.Cli;
using Unitization.IntegrationTests.Processes;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;
using Unitization.TestUtils;
using Unitization.TestUtils.Namespaces;

namespace Unitization.IntegrationTests.Namespaces;

/// <summary><c>unitization fs</c> as a user runs it: a separate process over the shipped configuration and a fresh data folder.</summary>
public sealed class FsCommandTests : IDisposable
{
    private readonly TempDirectory _data = new("unitization-fs");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task FsVerbs_PutListCatMoveEdits_WorkAgainstTheConfiguredNamespace()
    {
        var local = _data.Combine("part-0.txt");
        await File.WriteAllTextAsync(local, "row1\nrow2\n", Ct);

        var put = await FsAsync("put", local, "//warehouse/./t/dt=1/part-0");
        var mv = await FsAsync("mv", "/warehouse/t", "/warehouse/t2");
        var ls = await FsAsync("ls", "/warehouse/t2/dt=1");
        var cat = await FsAsync("cat", "/warehouse/t2/dt=1/part-0");
        var edits = await FsAsync("edits");

        Assert.Equal(0, put.ExitCode);
        Assert.StartsWith("1 ", put.Stdout, StringComparison.Ordinal);
        Assert.Contains("Create   /warehouse/t/dt=1/part-0 size=10", put.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, mv.ExitCode);
        Assert.Contains("/warehouse/t2/dt=1/part-0", ls.Stdout, StringComparison.Ordinal);
        Assert.Contains("txid 2", ls.Stdout, StringComparison.Ordinal);
        Assert.Equal("row1\nrow2\n", cat.Stdout);
        Assert.Equal(2, edits.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("Rename   /warehouse/t -> /warehouse/t2", edits.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(_data.Combine("dcA", "files", "warehouse", "t2", "dt=1", "part-0")));
    }

    [Fact]
    public async Task FsVerbs_EscapingPathOrUnknownDatacenter_ExitOneWithTheReason()
    {
        var escape = await FsAsync("mkdir", "/../outside");
        var unknown = await FsAsync("ls", "/", "--namespace", "dcZ");

        Assert.Equal(1, escape.ExitCode);
        Assert.Contains("'..' would leave the namespace root", escape.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Unknown datacenter 'dcZ'", unknown.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Join(Path.GetDirectoryName(_data.Path)!, "outside")));
    }

    [Fact]
    public async Task FsRecover_ByteFlippedMidLog_VerbsRefuseWithTheOffsetAndSkipFrameKeepsEveryLaterEdit()
    {
        var (frames, offset) = await CorruptSixteenKilobyteLogAsync();

        var ls = await FsAsync("ls", "/warehouse/t");
        var unchosen = await FsAsync("recover");
        var skip = await FsAsync("recover", "--skip-frame", "--yes");
        var edits = await FsAsync("edits");

        Assert.Equal(1, ls.ExitCode);
        Assert.Contains($"corrupt at byte {offset}", ls.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, unchosen.ExitCode);
        Assert.Contains("--truncate-at-corruption", unchosen.Stdout, StringComparison.Ordinal);
        Assert.Contains("Nothing changed", unchosen.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, skip.ExitCode);
        Assert.Contains("Wrote placeholder", skip.Stdout, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_data.Combine("dcA", "edits"), "edits.log.before-recover-*"));
        var lines = edits.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(frames, lines.Length);
        Assert.Single(lines, l => l.Contains("[fs recover skipped a corrupt frame", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("s\ny\n", 0, true)]
    [InlineData("s\nn\n", 1, false)]
    [InlineData("q\n", 1, false)]
    public async Task FsRecover_Interactive_AsksForTheChoiceThenForConfirmation(string answers, int exitCode, bool changed)
    {
        var (frames, _) = await CorruptSixteenKilobyteLogAsync();
        var log = _data.Combine("dcA", "edits", "edits.log");
        var before = await File.ReadAllBytesAsync(log, Ct);
        using var output = new StringWriter();
        var recover = new FsRecover(output, new StringReader(answers), interactive: true, new FsRecoverChoices(null, false, false), TimeProvider.System);

        var code = await recover.RunAsync(() => FsSession.Open(RepositoryPaths.ShippedConfig, _data.Path, "dcA", write: true), Ct);

        Assert.Equal(exitCode, code);
        Assert.Contains("Choose [t]runcate, [s]kip or [q]uit:", output.ToString(), StringComparison.Ordinal);
        var after = await File.ReadAllBytesAsync(log, Ct);
        Assert.Equal(changed, !before.SequenceEqual(after));
        if (changed)
        {
            Assert.Contains($"the edit log is intact (last txid {frames})", output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task FsRecover_TruncateAtCorruption_ListsTheLostEditsAndKeepsTheOnesBefore()
    {
        var (frames, offset) = await CorruptSixteenKilobyteLogAsync();

        var truncate = await FsAsync("recover", "--truncate-at-corruption", "--yes");
        var edits = await FsAsync("edits");
        var put = await FsAsync("mkdir", "/warehouse/after");

        Assert.Equal(0, truncate.ExitCode);
        Assert.Contains($"Truncated at byte {offset}", truncate.Stdout, StringComparison.Ordinal);
        Assert.Contains($"/warehouse/t/part-{(frames / 2) + 1:D3}", truncate.Stdout, StringComparison.Ordinal);
        Assert.Equal(frames / 2, edits.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(0, put.ExitCode);
    }

    [Fact]
    public async Task FsVerbs_TornLastEdit_EveryVerbWarnsReadOnlyAndWritable()
    {
        await FsAsync("mkdir", "/warehouse/a");
        await FsAsync("mkdir", "/warehouse/b");
        var log = _data.Combine("dcA", "edits", "edits.log");
        await using (var stream = new FileStream(log, FileMode.Open))
        {
            stream.SetLength(stream.Length - 5);
        }

        var ls = await FsAsync("ls", "/warehouse");
        var mkdir = await FsAsync("mkdir", "/warehouse/c");

        Assert.Equal(0, ls.ExitCode);
        Assert.Contains("torn", ls.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, mkdir.ExitCode);
        Assert.Contains("dropped a torn last edit-log record", mkdir.Stderr, StringComparison.Ordinal);
        Assert.Contains("2        Mkdirs   /warehouse/c", mkdir.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FsRecover_EditThatCannotBeApplied_MarkedInEditsAndAcceptDiskStateMakesItWritable()
    {
        await FsAsync("mkdir", "/warehouse/a");
        var tooLong = "/warehouse/x/" + string.Join('/', Enumerable.Repeat(new string('e', 250), 30));
        using (var log = EditLog.Open(_data.Combine("dcA", "edits", "edits.log"), writable: true, _ => { }))
        {
            log.Append(new LoggedEdit(new EditRecord(new TxId(2), EditOp.Mkdirs, tooLong, null, 0, null, DateTimeOffset.UnixEpoch), null));
        }

        var refused = await FsAsync("mkdir", "/warehouse/b");
        var edits = await FsAsync("edits");
        var recover = await FsAsync("recover", "--accept-disk-state", "--yes");
        var mkdir = await FsAsync("mkdir", "/warehouse/b");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("unitization fs recover --namespace dcA", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("[NOT APPLIED:", edits.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, recover.ExitCode);
        Assert.Contains("Logged 3        Delete", recover.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, mkdir.ExitCode);
        Assert.Contains("4        Mkdirs   /warehouse/b", mkdir.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FsVerbs_StagingFolder_NeverListedAndRefusedByName()
    {
        using (var ns = new LocalNamespace("dcA", _data.Combine("dcA"), TimeProvider.System))
        {
            await ns.MkdirsAsync("/.unitization/staging/w0", Ct);
            await ns.MkdirsAsync("/warehouse", Ct);
        }

        var ls = await FsAsync("ls", "/");
        var staging = await FsAsync("ls", "/.unitization/staging");

        Assert.Equal(0, ls.ExitCode);
        Assert.Contains("/warehouse", ls.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(".unitization", ls.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, staging.ExitCode);
        Assert.Contains("/.unitization is reserved", staging.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A 16 KB log of Creates with a byte flipped inside its middle frame: how many frames, and where the bad one starts.</summary>
    private async Task<(int Frames, int Offset)> CorruptSixteenKilobyteLogAsync()
    {
        var log = _data.Combine("dcA", "edits", "edits.log");
        using (var ns = new LocalNamespace("dcA", _data.Combine("dcA"), TimeProvider.System))
        {
            for (var i = 0; new FileInfo(log).Length < 16 * 1024; i++)
            {
                await ns.CreateAsync($"/warehouse/t/part-{i:D3}", (s, ct) => s.WriteAsync(new byte[i], ct).AsTask(), overwrite: false, Ct);
            }
        }

        var bytes = await File.ReadAllBytesAsync(log, Ct);
        var starts = EditLogFrames.Starts(bytes);

        var middle = starts[starts.Count / 2];
        bytes[middle + 20] ^= 0xFF;
        await File.WriteAllBytesAsync(log, bytes, Ct);
        return (starts.Count, middle);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> FsAsync(string verb, params string[] arguments)
    {
        var args = new List<string> { "fs", verb };
        args.AddRange(arguments);
        if (!arguments.Contains("--namespace"))
        {
            args.AddRange(["--namespace", "dcA"]);
        }

        args.AddRange(["--config", Path.Join(Repository.Root, "infra", "config", "unitization.json"), "--data", _data.Path]);
        return DotnetProcess.RunAsync(Path.Join(AppContext.BaseDirectory, "unitization.dll"), args, Ct, standardInput: string.Empty);
    }
}
