using System.IO.Hashing;
using System.Text;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;

namespace Unitization.Namespaces.Tests.Local;

public sealed class LocalNamespaceTests : IDisposable
{
    private readonly NamespaceFixture _fx = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task CreateAsync_NewFile_IsReadableAndLoggedWithSizeAndChecksum()
    {
        var edit = await _fx.PutAsync("//warehouse/./t/part-0", "hello");

        Assert.Equal(new TxId(1), edit.TxId);
        Assert.Equal(EditOp.Create, edit.Op);
        Assert.Equal("/warehouse/t/part-0", edit.Path);
        Assert.Equal(5, edit.Size);
        Assert.Equal(Convert.ToHexStringLower(XxHash128.Hash("hello"u8)), edit.Checksum);
        Assert.Equal(_fx.Time.GetUtcNow(), edit.Timestamp);
        Assert.Equal("hello", await _fx.ReadAsync("/warehouse/t/part-0"));
        Assert.True(File.Exists(Path.Join(_fx.FilesFolder, "warehouse", "t", "part-0")));
    }

    [Fact]
    public async Task CreateAsync_ExistingWithoutOverwrite_RefusesAndLogsNothing()
    {
        await _fx.PutAsync("/a", "1");

        await Assert.ThrowsAsync<IOException>(() => _fx.PutAsync("/a", "2"));

        Assert.Equal(new TxId(1), _fx.Namespace.LastTxId);
        Assert.Equal("1", await _fx.ReadAsync("/a"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_fx.TmpFolder));
    }

    [Fact]
    public async Task CreateAsync_Overwrite_ReplacesContent()
    {
        await _fx.PutAsync("/a", "1");
        await _fx.PutAsync("/a", "22", overwrite: true);

        Assert.Equal("22", await _fx.ReadAsync("/a"));
        Assert.Equal(new TxId(2), _fx.Namespace.LastTxId);
    }

    [Fact]
    public async Task CreateAsync_WriterThrows_LeavesNoFileAndNoEdit()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => _fx.Namespace.CreateAsync(
            "/partial",
            async (s, ct) =>
            {
                await s.WriteAsync("half"u8.ToArray(), ct);
                throw new InvalidOperationException("source went away");
            },
            overwrite: false,
            Ct));

        Assert.Null(await _fx.Namespace.GetStatusAsync("/partial", Ct));
        Assert.Equal(TxId.None, _fx.Namespace.LastTxId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_fx.TmpFolder));
    }

    [Fact]
    public async Task CreateAsync_WhileWriting_NothingVisibleUntilDone()
    {
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var create = _fx.Namespace.CreateAsync(
            "/big",
            async (s, ct) =>
            {
                await s.WriteAsync(new byte[4096], ct);
                started.SetResult();
                await release.Task.WaitAsync(ct);
            },
            overwrite: false,
            Ct);
        await started.Task.WaitAsync(Ct);

        Assert.Null(await _fx.Namespace.GetStatusAsync("/big", Ct));
        Assert.Empty(await _fx.Namespace.ListAsync("/", Ct).ToListAsync(Ct));

        release.SetResult();
        await create;
        Assert.Equal(4096, (await _fx.Namespace.GetStatusAsync("/big", Ct))!.Length);
    }

    [Fact]
    public async Task ListAsync_Directory_ChildrenSortedWithoutInternalFolders()
    {
        await _fx.PutAsync("/d/b", "b");
        await _fx.PutAsync("/d/a", "a");
        await _fx.Namespace.MkdirsAsync("/d/c", Ct);

        var children = await _fx.Namespace.ListAsync("/d", Ct).ToListAsync(Ct);
        var root = await _fx.Namespace.ListAsync("/", Ct).ToListAsync(Ct);

        Assert.Equal(["/d/a", "/d/b", "/d/c"], children.Select(c => c.Path));
        Assert.True(children[2].IsDirectory);
        Assert.Equal(["/d"], root.Select(c => c.Path));
    }

    [Fact]
    public async Task ListAsync_File_ListsItself_MissingThrows()
    {
        await _fx.PutAsync("/f", "x");

        Assert.Equal(["/f"], (await _fx.Namespace.ListAsync("/f", Ct).ToListAsync(Ct)).Select(e => e.Path));
        await Assert.ThrowsAsync<FileNotFoundException>(async () => await _fx.Namespace.ListAsync("/nope", Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task GetStatusAsync_Directory_LastTxIdCoversDescendants()
    {
        await _fx.PutAsync("/t/p1/f", "1");
        await _fx.PutAsync("/other", "2");
        await _fx.PutAsync("/t/p2/f", "3");

        Assert.Equal(new TxId(3), (await _fx.Namespace.GetStatusAsync("/t", Ct))!.LastTxId);
        Assert.Equal(new TxId(1), (await _fx.Namespace.GetStatusAsync("/t/p1", Ct))!.LastTxId);
        Assert.Equal(new TxId(3), (await _fx.Namespace.GetStatusAsync("/", Ct))!.LastTxId);
    }

    [Fact]
    public async Task RenameAsync_Directory_IsOneEditAndMovesTheSubtree()
    {
        await _fx.PutAsync("/staging/t/p/f1", "1");
        await _fx.PutAsync("/staging/t/p/f2", "2");
        var before = _fx.Namespace.LastTxId;

        var edit = await _fx.Namespace.RenameAsync("/staging/t", "/warehouse/t", Ct);

        Assert.Equal(new TxId(before.Value + 1), edit.TxId);
        Assert.Equal(EditOp.Rename, edit.Op);
        Assert.Equal("/warehouse/t", edit.Destination);
        Assert.Equal(edit.TxId, _fx.Namespace.LastTxId);
        Assert.Equal("2", await _fx.ReadAsync("/warehouse/t/p/f2"));
        Assert.Null(await _fx.Namespace.GetStatusAsync("/staging/t", Ct));
        Assert.Equal(edit.TxId, (await _fx.Namespace.GetStatusAsync("/warehouse/t/p/f1", Ct))!.LastTxId);
    }

    [Fact]
    public async Task RenameAsync_ExistingDestinationOrIntoItself_Refused()
    {
        await _fx.PutAsync("/a/f", "1");
        await _fx.PutAsync("/b", "2");

        await Assert.ThrowsAsync<IOException>(() => _fx.Namespace.RenameAsync("/a", "/b", Ct));
        await Assert.ThrowsAsync<IOException>(() => _fx.Namespace.RenameAsync("/a", "/a/x", Ct));
        await Assert.ThrowsAsync<FileNotFoundException>(() => _fx.Namespace.RenameAsync("/missing", "/c", Ct));
        Assert.Equal(new TxId(2), _fx.Namespace.LastTxId);
    }

    [Fact]
    public async Task DeleteAsync_Recursive_RemovesTreeInOneEdit_MissingReturnsNull()
    {
        await _fx.PutAsync("/t/p/f", "1");
        await _fx.PutAsync("/t/q", "2");

        await Assert.ThrowsAsync<IOException>(() => _fx.Namespace.DeleteAsync("/t", recursive: false, Ct));
        var edit = await _fx.Namespace.DeleteAsync("/t", recursive: true, Ct);

        Assert.Equal(EditOp.Delete, edit!.Op);
        Assert.Equal(new TxId(3), edit.TxId);
        Assert.Null(await _fx.Namespace.GetStatusAsync("/t", Ct));
        Assert.Null(await _fx.Namespace.DeleteAsync("/t", recursive: true, Ct));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_fx.TmpFolder));
    }

    [Fact]
    public async Task MkdirsAsync_ExistingDirectory_NoEdit_FileInTheWay_Refused()
    {
        Assert.NotNull(await _fx.Namespace.MkdirsAsync("/a/b", Ct));
        Assert.Null(await _fx.Namespace.MkdirsAsync("/a/b", Ct));
        await _fx.PutAsync("/f", "x");

        await Assert.ThrowsAsync<IOException>(() => _fx.Namespace.MkdirsAsync("/f/sub", Ct));
        await Assert.ThrowsAsync<IOException>(() => _fx.PutAsync("/f/sub/x", "y"));
        Assert.Equal(new TxId(2), _fx.Namespace.LastTxId);
    }

    [Fact]
    public async Task SetTimesAsync_File_SetsModificationTimeAndLogs()
    {
        await _fx.PutAsync("/f", "x");
        var when = new DateTimeOffset(2020, 5, 6, 7, 8, 9, TimeSpan.Zero);

        var edit = await _fx.Namespace.SetTimesAsync("/f", when, Ct);

        Assert.Equal(EditOp.SetTimes, edit.Op);
        Assert.Equal(when, (await _fx.Namespace.GetStatusAsync("/f", Ct))!.ModificationTime);
    }

    [Fact]
    public async Task GetStatusAsync_File_ModificationTimeFromTimeProvider()
    {
        _fx.Time.Advance(TimeSpan.FromHours(5));
        await _fx.PutAsync("/f", "x");

        Assert.Equal(_fx.Time.GetUtcNow(), (await _fx.Namespace.GetStatusAsync("/f", Ct))!.ModificationTime);
    }

    [Fact]
    public async Task GetChecksumAsync_File_MatchesTheCreateEdit()
    {
        var data = Encoding.UTF8.GetBytes(new string('z', 100_000));
        var edit = await _fx.Namespace.CreateAsync("/f", (s, ct) => s.WriteAsync(data, ct).AsTask(), false, Ct);

        var checksum = await _fx.Namespace.GetChecksumAsync("/f", Ct);

        Assert.Equal(new FileChecksum("XXH128", Convert.ToHexStringLower(XxHash128.Hash(data)), data.Length), checksum);
        Assert.Equal(edit.Checksum, checksum.Hex);
    }

    [Theory]
    [InlineData("/../outside")]
    [InlineData("/a/../../outside")]
    [InlineData("/a\\b")]
    [InlineData("C:/x")]
    public async Task Operations_EscapingPath_Refused(string path)
    {
        await Assert.ThrowsAsync<NamespacePathException>(() => _fx.PutAsync(path, "x"));
        await Assert.ThrowsAsync<NamespacePathException>(() => _fx.Namespace.GetStatusAsync(path, Ct));
        Assert.Equal(TxId.None, _fx.Namespace.LastTxId);
    }

    [Fact]
    public async Task Operations_SymlinkInsideRootPointingOut_Refused()
    {
        using var outside = new Unitization.TestUtils.TempDirectory("unitization-outside");
        File.WriteAllText(Path.Join(outside.Path, "secret"), "s");
        await _fx.Namespace.MkdirsAsync("/d", Ct);
        Directory.CreateSymbolicLink(Path.Join(_fx.FilesFolder, "d", "link"), outside.Path);

        var read = await Assert.ThrowsAsync<NamespacePathException>(() => _fx.Namespace.OpenReadAsync("/d/link/secret", Ct));
        await Assert.ThrowsAsync<NamespacePathException>(() => _fx.PutAsync("/d/link/new", "x"));
        await Assert.ThrowsAsync<NamespacePathException>(() => _fx.Namespace.DeleteAsync("/d/link", true, Ct));

        Assert.Contains("/d/link is a symbolic link", read.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(outside.Path, "new")));
        Assert.DoesNotContain("/d/link", (await _fx.Namespace.ListAsync("/d", Ct).ToListAsync(Ct)).Select(e => e.Path));
    }

    [Fact]
    public async Task CreateAsync_ConcurrentWriters_TxidsStrictlyIncreasingAndGapFree()
    {
        const int writers = 8;
        const int filesEach = 25;
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var edits = new List<EditRecord>();
            for (var i = 0; i < filesEach; i++)
            {
                edits.Add(await _fx.PutAsync($"/w{w}/f{i}", $"{w}-{i}"));
            }

            return edits;
        }));

        var all = (await Task.WhenAll(tasks)).SelectMany(e => e).ToList();
        var logged = await _fx.EditsAsync();

        Assert.Equal(Enumerable.Range(1, writers * filesEach).Select(i => (long)i), all.Select(e => e.TxId.Value).Order());
        Assert.Equal(Enumerable.Range(1, writers * filesEach).Select(i => (long)i), logged.Select(e => e.TxId.Value));
        Assert.Equal(all.OrderBy(e => e.TxId).Select(e => e.Path), logged.Select(e => e.Path));
        Assert.Equal(new TxId(writers * filesEach), _fx.Reopen().LastTxId);
    }

    [Fact]
    public async Task Constructor_SecondWriterOnSameRoot_Refused()
    {
        await _fx.PutAsync("/f", "x");

        var ex = Assert.Throws<NamespaceWriterHeldException>(() => new LocalNamespace("dcA", _fx.Root, _fx.Time));

        Assert.Contains("already open for writing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadOnlyInstance_SeesEditsTheWriterAppends()
    {
        await _fx.PutAsync("/f", "x");
        using var reader = _fx.OpenReadOnly();
        Assert.Equal(new TxId(1), reader.LastTxId);

        await _fx.PutAsync("/g", "y");

        Assert.Equal(new TxId(2), reader.LastTxId);
        Assert.Equal(["/f", "/g"], await reader.EditsSinceAsync(TxId.None, false, Ct).Select(e => e.Path).ToListAsync(Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.MkdirsAsync("/x", Ct));
    }
}
