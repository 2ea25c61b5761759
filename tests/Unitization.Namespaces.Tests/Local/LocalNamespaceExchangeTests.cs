using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;

namespace Unitization.Namespaces.Tests.Local;

/// <summary>ExchangeAsync: the two-path swap in one renameat2 step, its edit, its checks and its redo after a crash.</summary>
public sealed class LocalNamespaceExchangeTests : IDisposable
{
    private readonly NamespaceFixture _fx = new();

    public LocalNamespaceExchangeTests()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("exchange needs Linux's renameat2");
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task ExchangeAsync_TwoDirectories_SwapsThemAsOneLoggedEdit()
    {
        await _fx.PutAsync("/w/t/p=1/old-0", "old");
        await _fx.PutAsync("/s/x/new-0", "new");
        await _fx.PutAsync("/s/x/new-1", "new");
        var before = _fx.Namespace.LastTxId;

        var edit = await _fx.Namespace.ExchangeAsync("/s/x", "/w/t/p=1/", Ct);

        Assert.Equal(new TxId(before.Value + 1), edit.TxId);
        Assert.Equal(_fx.Namespace.LastTxId, edit.TxId);
        Assert.Equal((EditOp.Exchange, "/s/x", "/w/t/p=1"), (edit.Op, edit.Path, edit.Destination));
        Assert.Equal(["/w/t/p=1/new-0", "/w/t/p=1/new-1"], await NamesAsync("/w/t/p=1"));
        Assert.Equal(["/s/x/old-0"], await NamesAsync("/s/x"));
        Assert.Equal("new", await _fx.ReadAsync("/w/t/p=1/new-1"));
        Assert.Equal(edit.TxId, (await _fx.Namespace.GetStatusAsync("/w/t/p=1/new-0", Ct))!.LastTxId);
        Assert.Equal(edit.TxId, (await _fx.Namespace.GetStatusAsync("/s/x/old-0", Ct))!.LastTxId);
        Assert.Equal(edit, (await _fx.EditsAsync(before)).Single());
    }

    [Fact]
    public async Task ExchangeAsync_FileAndDirectory_Swap()
    {
        await _fx.PutAsync("/a", "file");
        await _fx.PutAsync("/b/c", "inside");

        await _fx.Namespace.ExchangeAsync("/a", "/b", Ct);

        Assert.Equal("file", await _fx.ReadAsync("/b"));
        Assert.Equal("inside", await _fx.ReadAsync("/a/c"));
    }

    [Theory]
    [InlineData("/a", "/missing")]
    [InlineData("/missing", "/a")]
    public async Task ExchangeAsync_SideMissing_SaysWhichAndLogsNothing(string first, string second)
    {
        await _fx.PutAsync("/a/f", "1");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => _fx.Namespace.ExchangeAsync(first, second, Ct));

        Assert.Contains("dcA:/missing does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal(new TxId(1), _fx.Namespace.LastTxId);
        Assert.Equal("1", await _fx.ReadAsync("/a/f"));
    }

    [Theory]
    [InlineData("/a", "/a/b")]
    [InlineData("/a/b", "/a")]
    [InlineData("/a", "/a/")]
    public async Task ExchangeAsync_OneInsideTheOther_Refused(string first, string second)
    {
        await _fx.PutAsync("/a/b/f", "1");

        var error = await Assert.ThrowsAsync<IOException>(() => _fx.Namespace.ExchangeAsync(first, second, Ct));

        Assert.Contains("one is inside the other", error.Message, StringComparison.Ordinal);
        Assert.Equal(new TxId(1), _fx.Namespace.LastTxId);
    }

    [Fact]
    public async Task ExchangeAsync_Root_Refused()
    {
        await _fx.PutAsync("/a/f", "1");

        await Assert.ThrowsAsync<NamespacePathException>(() => _fx.Namespace.ExchangeAsync("/", "/a", Ct));
    }

    [Fact]
    public async Task Reopen_CrashAfterExchangeLoggedBeforeApply_ExchangeRedone()
    {
        await _fx.PutAsync("/t/v1", "1");
        await _fx.PutAsync("/s/v2", "2");
        await _fx.Namespace.ExchangeAsync("/s", "/t", Ct);
        _fx.Namespace.Dispose();
        // swap back by hand: the state a crash right after the log fsync, before renameat2, leaves
        AtomicExchange.Exchange(Path.Join(_fx.FilesFolder, "s"), Path.Join(_fx.FilesFolder, "t"));

        _fx.Reopen();

        Assert.Equal("2", await _fx.ReadAsync("/t/v2"));
        Assert.Equal("1", await _fx.ReadAsync("/s/v1"));
        Assert.Equal(new TxId(3), _fx.Namespace.LastTxId);
    }

    [Fact]
    public async Task Reopen_AfterExchangeApplied_DoesNotSwapBack()
    {
        await _fx.PutAsync("/t/v1", "1");
        await _fx.PutAsync("/s/v2", "2");
        await _fx.Namespace.ExchangeAsync("/s", "/t", Ct);

        _fx.Reopen();
        _fx.Reopen();

        Assert.Equal("2", await _fx.ReadAsync("/t/v2"));
        Assert.Equal("1", await _fx.ReadAsync("/s/v1"));
        Assert.Equal(EditOp.Exchange, (await _fx.EditsAsync()).Last().Op);
    }

    [Fact]
    public async Task Reopen_ExchangeSidesChangedOutsideTheNamespace_OpensReportsItAndRefusesWritesWithoutGuessing()
    {
        await _fx.PutAsync("/t/v1", "1");
        await _fx.PutAsync("/s/v2", "2");
        await _fx.Namespace.ExchangeAsync("/s", "/t", Ct);
        _fx.Namespace.Dispose();
        Directory.Delete(Path.Join(_fx.FilesFolder, "t"), recursive: true); // where the swapped entry went

        var ns = _fx.Reopen();

        var unapplied = Assert.Single(ns.UnappliedEdits);
        Assert.Equal(3, unapplied.TxId);
        Assert.Contains("changed outside the namespace", unapplied.Reason, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Join(_fx.FilesFolder, "s")), "nothing was swapped on a guess");
        var refused = await Assert.ThrowsAsync<IOException>(() => _fx.PutAsync("/u", "3"));
        Assert.Contains("fs recover", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExchangeAsync_ReaderPollingDuringManySwaps_AlwaysFindsOneWholeVersion()
    {
        const int Swaps = 150;
        await WriteVersionAsync("/w/t", 0);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var firstPoll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(() => PollAsync("/w/t", firstPoll, stop.Token), Ct);
        await firstPoll.Task.WaitAsync(Ct);
        for (var v = 1; v <= Swaps; v++)
        {
            await WriteVersionAsync("/stage", v);
            await _fx.Namespace.ExchangeAsync("/stage", "/w/t", Ct);
            await _fx.Namespace.DeleteAsync("/stage", recursive: true, Ct);
        }

        await stop.CancelAsync();
        var (polls, problems) = await reader;

        Assert.Empty(problems);
        Assert.True(polls > 0);
        Assert.Equal(Swaps.ToString(System.Globalization.CultureInfo.InvariantCulture), await _fx.ReadAsync("/w/t/_SUCCESS"));
    }

    private async Task WriteVersionAsync(string folder, int version)
    {
        var text = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var k = 0; k < 3; k++)
        {
            await _fx.PutAsync($"{folder}/part-{version}-{k}", text);
        }

        await _fx.PutAsync($"{folder}/_SUCCESS", text);
    }

    /// <summary>Reads the folder until stopped: it must always exist, and its listing must name one version's files only.</summary>
    private async Task<(int Polls, List<string> Problems)> PollAsync(string folder, TaskCompletionSource firstPoll, CancellationToken stop)
    {
        var problems = new List<string>();
        var polls = 0;
        while (!stop.IsCancellationRequested && problems.Count < 10)
        {
            polls++;
            try
            {
                if (await _fx.Namespace.GetStatusAsync(folder, CancellationToken.None) is not { IsDirectory: true })
                {
                    problems.Add($"poll {polls}: {folder} missing");
                    continue;
                }

                var versions = (await NamesAsync(folder)).Where(n => !n.EndsWith("_SUCCESS", StringComparison.Ordinal)).Select(n => n.Split('/')[^1].Split('-')[1]).Distinct().ToList();
                if (versions.Count > 1)
                {
                    problems.Add($"poll {polls}: files of versions {string.Join(", ", versions)} at once");
                }

                _ = await _fx.ReadAsync(folder + "/_SUCCESS");
            }
            catch (FileNotFoundException ex)
            {
                problems.Add($"poll {polls}: {ex.Message}");
            }
            finally
            {
                firstPoll.TrySetResult();
            }
        }

        return (polls, problems);
    }

    private async Task<List<string>> NamesAsync(string path) =>
        (await _fx.Namespace.ListAsync(path, CancellationToken.None).ToListAsync(CancellationToken.None)).Select(e => e.Path).ToList();
}
