using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;

namespace Unitization.Namespaces.Tests.Local;

/// <summary>
/// Group commit of Creates: Creates waiting while the log is busy share one append and one fsync, each is validated as
/// if it were alone, and a crash after a group was logged and before it was applied is redone for every edit of it.
/// </summary>
public sealed class LocalNamespaceGroupCommitTests : IDisposable
{
    private readonly NamespaceFixture _fx = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task CreateAsync_SeveralWaitingForTheLog_OneAppendForAllWithConsecutiveTxids()
    {
        await _fx.Namespace.MkdirsAsync("/d", Ct);
        var before = _fx.Namespace.LogAppends;
        Task<EditRecord>[] creates;
        using (await _fx.Namespace.HoldWritesAsync(Ct))
        {
            creates = [.. Enumerable.Range(0, 5).Select(i => _fx.PutAsync($"/d/f{i}", $"content {i}"))];
            await WaitForQueuedAsync(5);
        }

        var edits = await Task.WhenAll(creates);

        Assert.Equal(before + 1, _fx.Namespace.LogAppends);
        Assert.Equal([2L, 3, 4, 5, 6], edits.Select(e => e.TxId.Value).Order());
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal($"content {i}", await _fx.ReadAsync($"/d/f{i}"));
            Assert.Equal(EditOp.Create, edits[i].Op);
        }

        Assert.Equal(edits.OrderBy(e => e.TxId), await _fx.EditsAsync(new TxId(1)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_fx.TmpFolder));
    }

    [Fact]
    public async Task CreateAsync_PathInsideAnotherOfTheGroup_ValidatedAfterThatOneIsApplied()
    {
        Task<EditRecord> file;
        Task<EditRecord> under;
        Task<EditRecord> same;
        using (await _fx.Namespace.HoldWritesAsync(Ct))
        {
            file = _fx.PutAsync("/d/f", "a file");
            await WaitForQueuedAsync(1);
            under = _fx.PutAsync("/d/f/g", "under a file");
            await WaitForQueuedAsync(2);
            same = _fx.PutAsync("/d/f", "again");
            await WaitForQueuedAsync(3);
        }

        await file;
        var inside = await Assert.ThrowsAsync<IOException>(() => under);
        var again = await Assert.ThrowsAsync<IOException>(() => same);

        Assert.Contains("is a file", inside.Message, StringComparison.Ordinal);
        Assert.Contains("already exists", again.Message, StringComparison.Ordinal);
        Assert.Equal("a file", await _fx.ReadAsync("/d/f"));
        Assert.Equal([EditOp.Create], (await _fx.EditsAsync()).Select(e => e.Op));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_fx.TmpFolder));

        // the namespace still takes writes: nothing was logged that could not be applied
        await _fx.PutAsync("/e", "next");
        Assert.Equal(new TxId(2), _fx.Namespace.LastTxId);
    }

    [Fact]
    public async Task CreateAsync_CancelledWhileQueued_NothingLoggedAndTemporaryFileRemoved()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Task<EditRecord> cancelled;
        Task<EditRecord> kept;
        using (await _fx.Namespace.HoldWritesAsync(Ct))
        {
            cancelled = _fx.Namespace.CreateAsync("/a", (s, c) => s.WriteAsync("a"u8.ToArray(), c).AsTask(), overwrite: false, cts.Token);
            kept = _fx.PutAsync("/b", "b");
            await WaitForQueuedAsync(2);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
            Assert.Equal(1, _fx.Namespace.QueuedCreates);
        }

        await kept;

        Assert.Equal(["/b"], (await _fx.EditsAsync()).Select(e => e.Path));
        Assert.Null(await _fx.Namespace.GetStatusAsync("/a", Ct));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_fx.TmpFolder));
    }

    [Fact]
    public async Task Reopen_CrashAfterGroupLoggedBeforeApplied_EveryCreateOfTheGroupRedone()
    {
        await _fx.Namespace.MkdirsAsync("/t", Ct);
        await _fx.PutAsync("/t/f0", "zero");
        await _fx.PutAsync("/t/f1", "one");
        await _fx.PutAsync("/t/f2", "two");
        _fx.Namespace.Dispose();
        // the state a crash right after the group's fsync leaves: all three logged, none renamed into place
        foreach (var (path, stage) in await _fx.CreateStagesAsync())
        {
            File.Move(Path.Join(_fx.FilesFolder, path.TrimStart('/')), Path.Join(_fx.TmpFolder, stage));
        }

        _fx.Reopen();

        Assert.Equal("zero", await _fx.ReadAsync("/t/f0"));
        Assert.Equal("one", await _fx.ReadAsync("/t/f1"));
        Assert.Equal("two", await _fx.ReadAsync("/t/f2"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_fx.TmpFolder));
        Assert.Equal(new TxId(4), _fx.Namespace.LastTxId);
    }

    [Fact]
    public async Task Reopen_TrailingCreatesAllApplied_RedoChangesNothing()
    {
        await _fx.PutAsync("/b", "b");
        await _fx.Namespace.RenameAsync("/b", "/c", Ct);
        await _fx.PutAsync("/a", "first");
        await _fx.PutAsync("/a", "second", overwrite: true);
        await _fx.PutAsync("/f", "f");
        var edits = await _fx.EditsAsync();

        _fx.Reopen();

        Assert.Equal("second", await _fx.ReadAsync("/a"));
        Assert.Equal("b", await _fx.ReadAsync("/c"));
        Assert.Null(await _fx.Namespace.GetStatusAsync("/b", Ct));
        Assert.Equal("f", await _fx.ReadAsync("/f"));
        Assert.Equal(edits, await _fx.EditsAsync());
    }

    [Fact]
    public async Task Reopen_GroupTornByACrash_CompleteFramesRedoneTornOneDropped()
    {
        await _fx.PutAsync("/a", "a");
        await _fx.PutAsync("/b", "b");
        var intact = new FileInfo(_fx.LogFile).Length;
        await _fx.PutAsync("/c", "c");
        _fx.Namespace.Dispose();
        var stages = await _fx.CreateStagesAsync();
        foreach (var (path, stage) in stages)
        {
            File.Move(Path.Join(_fx.FilesFolder, path.TrimStart('/')), Path.Join(_fx.TmpFolder, stage));
        }

        // the third frame of the group only partly reached the disk
        using (var log = new FileStream(_fx.LogFile, FileMode.Open))
        {
            log.SetLength(intact + ((log.Length - intact) / 2));
        }

        _fx.Reopen();

        Assert.Equal("a", await _fx.ReadAsync("/a"));
        Assert.Equal("b", await _fx.ReadAsync("/b"));
        Assert.Null(await _fx.Namespace.GetStatusAsync("/c", Ct));
        Assert.Equal(new TxId(2), _fx.Namespace.LastTxId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_fx.TmpFolder));
    }

    [Fact]
    public async Task GetLoggedChecksum_CreatedFile_IsTheChecksumOfItsBytesAndFollowsRenames()
    {
        var edit = await _fx.PutAsync("/d/f", "some bytes");
        await _fx.Namespace.RenameAsync("/d", "/e", Ct);

        var logged = _fx.Namespace.GetLoggedChecksum("/e/f");

        Assert.Equal(edit.Checksum, logged?.Checksum);
        Assert.Equal((await _fx.Namespace.GetChecksumAsync("/e/f", Ct)).Hex, logged?.Checksum);
        Assert.Equal(new TxId(2), logged?.TxId);
        Assert.Null(_fx.Namespace.GetLoggedChecksum("/d/f"));
        Assert.Null(_fx.Namespace.GetLoggedChecksum("/e"));
    }

    private async Task WaitForQueuedAsync(int count)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (_fx.Namespace.QueuedCreates < count)
        {
            await Task.Delay(5, deadline.Token);
        }
    }
}
