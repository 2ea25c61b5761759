using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;

namespace Unitization.Namespaces.Tests.Local;

/// <summary>The edit log through the namespace: replay, torn records, crashes between steps, tailing.</summary>
public sealed class EditLogTests : IDisposable
{
    private readonly NamespaceFixture _fx = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task Reopen_AfterEdits_ReplaysEveryEditInOrder()
    {
        await _fx.Namespace.MkdirsAsync("/a", Ct);
        await _fx.PutAsync("/a/f", "1");
        await _fx.Namespace.RenameAsync("/a/f", "/a/g", Ct);
        await _fx.Namespace.SetTimesAsync("/a/g", _fx.Time.GetUtcNow().AddDays(-1), Ct);
        await _fx.Namespace.DeleteAsync("/a", recursive: true, Ct);
        var before = await _fx.EditsAsync();

        _fx.Reopen();
        var after = await _fx.EditsAsync();

        Assert.Equal(new TxId(5), _fx.Namespace.LastTxId);
        Assert.Equal([EditOp.Mkdirs, EditOp.Create, EditOp.Rename, EditOp.SetTimes, EditOp.Delete], after.Select(e => e.Op));
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Reopen_TornLastRecord_DroppedAndEverythingBeforeKept()
    {
        await _fx.PutAsync("/a", "1");
        await _fx.PutAsync("/b", "2");
        var intact = new FileInfo(_fx.LogFile).Length;
        await _fx.PutAsync("/c", "3");
        _fx.Namespace.Dispose();
        // power loss mid-append: only part of the third record reached the disk
        using (var log = new FileStream(_fx.LogFile, FileMode.Open))
        {
            log.SetLength(intact + ((log.Length - intact) / 2));
        }

        _fx.Reopen();

        Assert.Equal(new TxId(2), _fx.Namespace.LastTxId);
        Assert.Equal(intact, new FileInfo(_fx.LogFile).Length);
        Assert.Equal(["/a", "/b"], (await _fx.EditsAsync()).Select(e => e.Path));
        var next = await _fx.PutAsync("/d", "4");
        Assert.Equal(new TxId(3), next.TxId);
        _fx.Reopen();
        Assert.Equal(["/a", "/b", "/d"], (await _fx.EditsAsync()).Select(e => e.Path));
    }

    [Fact]
    public async Task Reopen_LastRecordWithBadCrc_Dropped()
    {
        await _fx.PutAsync("/a", "1");
        await _fx.PutAsync("/b", "2");
        _fx.Namespace.Dispose();
        using (var log = new FileStream(_fx.LogFile, FileMode.Open))
        {
            log.Seek(-3, SeekOrigin.End);
            log.WriteByte(0x7f);
        }

        _fx.Reopen();

        Assert.Equal(new TxId(1), _fx.Namespace.LastTxId);
    }

    [Fact]
    public async Task Reopen_CorruptRecordFollowedByManyEdits_RefusedNotTruncated()
    {
        for (var i = 0; i < 1200; i++)
        {
            await _fx.Namespace.SetTimesAsync("/", _fx.Time.GetUtcNow(), Ct);
        }

        _fx.Namespace.Dispose();
        var length = new FileInfo(_fx.LogFile).Length;
        using (var log = new FileStream(_fx.LogFile, FileMode.Open))
        {
            log.Seek(20, SeekOrigin.Begin);
            log.WriteByte(0x00);
        }

        var ex = Assert.Throws<EditLogCorruptException>(() => _fx.Reopen());

        Assert.Contains("not a torn last write", ex.Message, StringComparison.Ordinal);
        Assert.Equal(length, new FileInfo(_fx.LogFile).Length);
    }

    [Fact]
    public async Task Reopen_CrashAfterTempWriteBeforeRename_NoVisibleFileAndTempCleaned()
    {
        await _fx.PutAsync("/a", "1");
        // a writer had written its temporary file when the process died, before the edit was logged
        var stale = Path.Join(_fx.TmpFolder, "0123456789abcdef.part");
        File.WriteAllText(stale, "half a file");

        _fx.Reopen();

        Assert.False(File.Exists(stale));
        Assert.Equal(["/a"], (await _fx.Namespace.ListAsync("/", Ct).ToListAsync(Ct)).Select(e => e.Path));
        Assert.Equal(new TxId(1), _fx.Namespace.LastTxId);
    }

    [Fact]
    public async Task Reopen_CrashAfterCreateLoggedBeforeRename_RenameRedone()
    {
        await _fx.PutAsync("/t/f", "content");
        _fx.Namespace.Dispose();
        // undo the rename by hand: the state a crash right after the log fsync leaves
        var stage = (await _fx.CreateStagesAsync())[^1].Stage;
        File.Move(Path.Join(_fx.FilesFolder, "t", "f"), Path.Join(_fx.TmpFolder, stage));

        _fx.Reopen();

        Assert.Equal("content", await _fx.ReadAsync("/t/f"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_fx.TmpFolder));
    }

    [Fact]
    public async Task EditsSinceAsync_WithoutFollow_OnlyLaterEditsThenEnds()
    {
        await _fx.PutAsync("/a", "1");
        await _fx.PutAsync("/b", "2");
        await _fx.PutAsync("/c", "3");

        Assert.Equal(["/b", "/c"], (await _fx.EditsAsync(new TxId(1))).Select(e => e.Path));
        Assert.Empty(await _fx.EditsAsync(new TxId(3)));
        Assert.Equal(3, (await _fx.EditsAsync(new TxId(-5))).Count);
    }

    [Fact]
    public async Task EditsSinceAsync_Follow_YieldsNewEditsAsTheyAreAppended()
    {
        await _fx.PutAsync("/a", "1");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using var tail = _fx.Namespace.EditsSinceAsync(TxId.None, follow: true, cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await tail.MoveNextAsync());
        Assert.Equal("/a", tail.Current.Path);
        var waiting = tail.MoveNextAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        await _fx.PutAsync("/b", "2");
        Assert.True(await waiting.WaitAsync(Ct));
        Assert.Equal("/b", tail.Current.Path);
        Assert.Equal(new TxId(2), tail.Current.TxId);

        var cancelled = tail.MoveNextAsync().AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
    }
}
