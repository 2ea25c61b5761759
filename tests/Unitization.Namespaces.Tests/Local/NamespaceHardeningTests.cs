using System.Text;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;
using Unitization.TestUtils.Namespaces;

namespace Unitization.Namespaces.Tests.Local;

/// <summary>
/// Issue 16, cases 1 and 2 as observed: a path the disk cannot hold is refused before it is logged; an edit logged and
/// not applicable never blocks an open and is resolved keeping every edit; a byte flipped in the middle of a 16 KB log
/// is refused with its offset, and both recover choices keep what they say.
/// </summary>
public sealed class NamespaceHardeningTests : IDisposable
{
    private static readonly string TooLong = "/warehouse/x/" + string.Join('/', Enumerable.Repeat(new string('e', 250), 30));

    private readonly NamespaceFixture _fx = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task MkdirsAsync_ThirtyNamesOf250Bytes_RefusedBeforeLoggingAndTheNamespaceStaysWritable()
    {
        await _fx.PutAsync("/warehouse/a", "1");
        var logLength = new FileInfo(_fx.LogFile).Length;

        var error = await Assert.ThrowsAsync<NamespacePathException>(() => _fx.Namespace.MkdirsAsync(TooLong, Ct));

        Assert.Contains("PATH_MAX", error.Message, StringComparison.Ordinal);
        Assert.Equal(new TxId(1), _fx.Namespace.LastTxId);
        Assert.Equal(logLength, new FileInfo(_fx.LogFile).Length);
        Assert.False(Directory.Exists(Path.Join(_fx.FilesFolder, "warehouse", "x")));
        Assert.Equal(new TxId(2), (await _fx.PutAsync("/warehouse/b", "2")).TxId);
        Assert.Empty(_fx.Reopen().UnappliedEdits);
        Assert.Equal(new TxId(3), (await _fx.PutAsync("/warehouse/c", "3")).TxId);
    }

    [Fact]
    public async Task CreateAsync_NameOver255BytesOfUtf8_RefusedThoughUnder255Characters()
    {
        var name = new string('é', 128); // 128 characters, 256 bytes

        var error = await Assert.ThrowsAsync<NamespacePathException>(() => _fx.PutAsync("/warehouse/" + name, "x"));

        Assert.Contains("256 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(TxId.None, _fx.Namespace.LastTxId);
    }

    [Fact]
    public async Task RenameAsync_DeepestPathBelowWouldNotFit_RefusedBeforeLogging()
    {
        // a file whose on-disk path is 100 bytes under PATH_MAX; renaming its top folder to a 250-byte name would push it over
        var budget = 4095 - Encoding.UTF8.GetByteCount(_fx.FilesFolder) - 100;
        var deep = "/d";
        while (deep.Length + 151 <= budget - 60)
        {
            deep += "/" + new string('f', 150);
        }

        await _fx.PutAsync(deep + "/" + new string('g', budget - deep.Length - 1), "x");
        var before = _fx.Namespace.LastTxId;

        var error = await Assert.ThrowsAsync<NamespacePathException>(() => _fx.Namespace.RenameAsync("/d", "/" + new string('r', 250), Ct));

        Assert.Contains("longest path below it", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, _fx.Namespace.LastTxId);
        Assert.NotNull(await _fx.Namespace.RenameAsync("/d", "/e", Ct));
    }

    [Theory]
    [InlineData("/.reserved/x")]
    [InlineData("/warehouse/.snapshot")]
    public async Task MkdirsAsync_NameHdfsReserves_Refused(string path)
    {
        var error = await Assert.ThrowsAsync<NamespacePathException>(() => _fx.Namespace.MkdirsAsync(path, Ct));

        Assert.Contains("reserves", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reopen_LoggedEditThatCannotBeApplied_OpensReportsItAndAcceptingTheDiskKeepsEveryEdit()
    {
        await _fx.PutAsync("/warehouse/a", "1");
        _fx.Namespace.Dispose();
        // what main logged before paths were checked: a Mkdirs the file system cannot hold
        using (var log = EditLog.Open(_fx.LogFile, writable: true, _ => { }))
        {
            log.Append(new LoggedEdit(new EditRecord(new TxId(2), EditOp.Mkdirs, TooLong, null, 0, null, _fx.Time.GetUtcNow()), null));
        }

        var ns = _fx.Reopen();

        var unapplied = Assert.Single(ns.UnappliedEdits);
        Assert.Equal(2, unapplied.TxId);
        Assert.Equal("1", await _fx.ReadAsync("/warehouse/a"));
        var refused = await Assert.ThrowsAsync<IOException>(() => _fx.PutAsync("/warehouse/b", "2"));
        Assert.Contains("unitization fs recover --namespace dcA", refused.Message, StringComparison.Ordinal);
        using (var reader = _fx.OpenReadOnly())
        {
            Assert.Equal(2, Assert.Single(reader.UnappliedEdits).TxId);
        }

        var logged = await ns.RecordDiskStateOfUnappliedAsync(Ct);

        var delete = Assert.Single(logged);
        Assert.Equal((new TxId(3), EditOp.Delete, TooLong), (delete.TxId, delete.Op, delete.Path));
        Assert.Empty(ns.UnappliedEdits);
        Assert.Equal(new TxId(4), (await _fx.PutAsync("/warehouse/b", "2")).TxId);
        _fx.Reopen();
        Assert.Empty(_fx.Namespace.UnappliedEdits);
        Assert.Equal([EditOp.Create, EditOp.Mkdirs, EditOp.Delete, EditOp.Create], (await _fx.EditsAsync()).Select(e => e.Op));
    }

    [Fact]
    public async Task Reopen_ByteFlippedInTheMiddleOfA16KBLog_RefusedWithTheOffsetByEveryOpen()
    {
        var starts = await SixteenKilobyteLogAsync();
        var middle = starts[starts.Count / 2];
        var length = FlipByte(middle + 20);

        var writable = Assert.Throws<EditLogCorruptException>(() => _fx.Reopen());
        var readOnly = Assert.Throws<EditLogCorruptException>(() => _fx.OpenReadOnly());

        Assert.Equal(middle, writable.Offset);
        Assert.Equal(middle, readOnly.Offset);
        Assert.Contains($"corrupt at byte {middle}", writable.Message, StringComparison.Ordinal);
        Assert.Equal(length, new FileInfo(_fx.LogFile).Length);
    }

    [Fact]
    public async Task Recover_TruncateAtTheCorruption_KeepsTheEditsBeforeItAndNamesTheLostOnes()
    {
        var starts = await SixteenKilobyteLogAsync();
        var bad = starts.Count / 2;
        FlipByte(starts[bad] + 20);
        var report = EditLogRepair.Inspect(Assert.Throws<EditLogCorruptException>(() => _fx.Reopen()));

        EditLogRepair.Truncate(report);

        Assert.Equal(starts.Count - bad - 1, report.EditsAfter.Count);
        Assert.Equal($"/warehouse/t/part-{bad + 1:D3}", report.EditsAfter[0].Path);
        _fx.Reopen();
        Assert.Equal(new TxId(bad), _fx.Namespace.LastTxId);
        Assert.Equal(new TxId(bad + 1), (await _fx.PutAsync("/warehouse/after", "x")).TxId);
    }

    [Fact]
    public async Task Recover_SkipTheBadFrame_KeepsEveryEditAfterItUnderItsTxid()
    {
        var starts = await SixteenKilobyteLogAsync();
        var bad = starts.Count / 2;
        FlipByte(starts[bad] + 20);
        var report = EditLogRepair.Inspect(Assert.Throws<EditLogCorruptException>(() => _fx.Reopen()));

        var placeholders = EditLogRepair.Skip(report, _fx.Time.GetUtcNow());

        var placeholder = Assert.Single(placeholders);
        Assert.Equal(new TxId(bad + 1), placeholder.TxId);
        _fx.Reopen();
        var edits = await _fx.EditsAsync();
        Assert.Equal(starts.Count, edits.Count);
        Assert.Equal(Enumerable.Range(1, starts.Count).Select(i => (long)i), edits.Select(e => e.TxId.Value));
        Assert.Equal($"/warehouse/t/part-{starts.Count - 1:D3}", edits[^1].Path);
        Assert.Contains("skipped a corrupt frame", _fx.Namespace.NoteOf(placeholder.TxId), StringComparison.Ordinal);
        Assert.Equal("file " + (starts.Count - 1), await _fx.ReadAsync($"/warehouse/t/part-{starts.Count - 1:D3}"));
    }

    /// <summary>Creates files until the log is about 16 KB; returns where each frame starts.</summary>
    private async Task<List<int>> SixteenKilobyteLogAsync()
    {
        for (var i = 0; new FileInfo(_fx.LogFile).Length < 16 * 1024; i++)
        {
            await _fx.PutAsync($"/warehouse/t/part-{i:D3}", "file " + i);
        }

        _fx.Namespace.Dispose();
        return EditLogFrames.Starts(await File.ReadAllBytesAsync(_fx.LogFile, Ct));
    }

    private long FlipByte(long offset)
    {
        using var log = new FileStream(_fx.LogFile, FileMode.Open);
        log.Seek(offset, SeekOrigin.Begin);
        var b = log.ReadByte();
        log.Seek(offset, SeekOrigin.Begin);
        log.WriteByte((byte)(b ^ 0xFF));
        return log.Length;
    }
}
