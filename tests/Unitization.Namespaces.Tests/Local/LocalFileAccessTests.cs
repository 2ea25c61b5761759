using System.IO.Hashing;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;

namespace Unitization.Namespaces.Tests.Local;

public sealed class LocalFileAccessTests : IDisposable
{
    private readonly NamespaceFixture _fx = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _fx.Dispose();

    private static byte[] Content(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData((3 << 20) + 17)]
    public async Task CreateFromHandleAsync_KernelCopyOfAFile_LogsSizeAndChecksumOfTheStoredBytes(int length)
    {
        var content = Content(length, seed: length);
        await _fx.Namespace.CreateAsync("/src/part-0", (s, ct) => s.WriteAsync(content, ct).AsTask(), overwrite: false, Ct);
        using var source = _fx.Namespace.OpenReadHandle("/src/part-0");

        var edit = await _fx.Namespace.CreateFromHandleAsync(
            "/dst/part-0",
            (target, _, _) => Task.FromResult(FileRangeCopy.Copy(source, 0, target, 0, length + 100)),
            overwrite: false,
            syncData: true,
            Ct);

        Assert.Equal(EditOp.Create, edit.Op);
        Assert.Equal(length, edit.Size);
        Assert.Equal(Convert.ToHexStringLower(XxHash128.Hash(content)), edit.Checksum);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Join(_fx.FilesFolder, "dst", "part-0"), Ct));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_fx.TmpFolder));
    }

    [Fact]
    public async Task CreateFromHandleAsync_WriterReportsSomeRangesOutOfOrder_ChecksumStillOfEveryStoredByte()
    {
        var content = Content((2 << 20) + 333, seed: 7);
        await _fx.Namespace.CreateAsync("/src", (s, ct) => s.WriteAsync(content, ct).AsTask(), overwrite: false, Ct);
        using var source = _fx.Namespace.OpenReadHandle("/src");

        var edit = await _fx.Namespace.CreateFromHandleAsync(
            "/dst",
            (target, readBack, _) =>
            {
                FileRangeCopy.Copy(source, 0, target, 0, 1 << 20);
                readBack.Written(0, 1 << 20);
                FileRangeCopy.Copy(source, 1 << 20, target, 1 << 20, content.Length);
                readBack.Written(2 << 20, 333); // not where the read-back is: left to the end
                return Task.CompletedTask;
            },
            overwrite: false,
            syncData: false,
            Ct);

        Assert.Equal(content.Length, edit.Size);
        Assert.Equal(Convert.ToHexStringLower(XxHash128.Hash(content)), edit.Checksum);
    }

    [Fact]
    public async Task FileRangeCopy_MiddleRange_CopiesExactlyThatRangeToTheOffset()
    {
        var content = Content(10_000, seed: 3);
        await _fx.Namespace.CreateAsync("/src", (s, ct) => s.WriteAsync(content, ct).AsTask(), overwrite: false, Ct);
        using var source = _fx.Namespace.OpenReadHandle("/src");

        await _fx.Namespace.CreateFromHandleAsync(
            "/dst",
            (target, _, _) =>
            {
                Assert.Equal(4000, FileRangeCopy.Copy(source, 1000, target, 0, 4000));
                Assert.Equal(2000, FileRangeCopy.Copy(source, 8000, target, 4000, 5000));
                return Task.CompletedTask;
            },
            overwrite: false,
            syncData: false,
            Ct);

        var stored = await File.ReadAllBytesAsync(Path.Join(_fx.FilesFolder, "dst"), Ct);
        Assert.Equal([.. content[1000..5000], .. content[8000..]], stored);
    }

    [Fact]
    public async Task CreateFromHandleAsync_WriterCancelled_LogsNothingAndLeavesNoTemporaryFile()
    {
        await _fx.PutAsync("/src", new string('x', 5000));
        using var source = _fx.Namespace.OpenReadHandle("/src");
        using var cts = new CancellationTokenSource();
        var before = _fx.Namespace.LastTxId;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _fx.Namespace.CreateFromHandleAsync(
            "/dst",
            async (target, _, ct) =>
            {
                FileRangeCopy.Copy(source, 0, target, 0, 1000);
                await cts.CancelAsync();
                ct.ThrowIfCancellationRequested();
            },
            overwrite: false,
            syncData: false,
            cts.Token));

        Assert.Equal(before, _fx.Namespace.LastTxId);
        Assert.Null(await _fx.Namespace.GetStatusAsync("/dst", Ct));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_fx.TmpFolder));
    }

    [Fact]
    public async Task SyncFilesAsync_StagedFiles_SucceedsAndMissingFileFails()
    {
        await _fx.PutAsync("/a/1", "one");
        await _fx.PutAsync("/a/2", "two");

        await _fx.Namespace.SyncFilesAsync(["/a/1", "/a/2"], Ct);

        await Assert.ThrowsAnyAsync<IOException>(() => _fx.Namespace.SyncFilesAsync(["/a/missing"], Ct));
    }

    [Fact]
    public async Task OpenReadHandle_Directory_Refuses()
    {
        await _fx.PutAsync("/d/f", "x");

        Assert.Throws<IOException>(() => _fx.Namespace.OpenReadHandle("/d"));
        Assert.Throws<FileNotFoundException>(() => _fx.Namespace.OpenReadHandle("/d/none"));
    }
}
