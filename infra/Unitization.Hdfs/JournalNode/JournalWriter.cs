using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Ops;
using Unitization.Hdfs.Journal;
using Unitization.Namespaces.Edits;

namespace Unitization.Hdfs.JournalNode;

/// <summary>
/// Writes the project's edits as a NameNode's edit log segments into a JournalNode's <c>current</c> directory: a
/// segment opens with OP_START_LOG_SEGMENT as <c>edits_inprogress_F</c>, gets each edit's ops appended (and flushed)
/// as they come, and after <see cref="SegmentOps"/> ops ends with OP_END_LOG_SEGMENT at txid L and is renamed
/// <c>edits_F-L</c>, as a NameNode rolls its log. Every op carries its CRC-32. The directory's old segments are
/// removed at construction: the journal is rebuilt from the namespace's log, and the same edits give the same bytes.
/// </summary>
internal sealed class JournalWriter : IDisposable
{
    private readonly NameNodeOps _ops = new();
    private readonly string _directory;
    private FileStream? _segment;
    private long _segmentFirst;
    private int _segmentCount;

    public JournalWriter(string currentDirectory, int layoutVersion = EditLogLayout.Newest, int segmentOps = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentOps, 1);
        if (!EditLogLayout.IsSupported(layoutVersion))
        {
            throw new ArgumentOutOfRangeException(nameof(layoutVersion), layoutVersion, $"Layout versions {EditLogLayout.Oldest} .. {EditLogLayout.Newest} are written.");
        }

        _directory = currentDirectory;
        LayoutVersion = layoutVersion;
        SegmentOps = segmentOps;
        Directory.CreateDirectory(currentDirectory);
        foreach (var old in Directory.EnumerateFiles(currentDirectory, "edits_*"))
        {
            File.Delete(old);
        }
    }

    public int LayoutVersion { get; }

    /// <summary>How many ops (the segment's start and end included) a segment holds before it is finalized.</summary>
    public int SegmentOps { get; }

    /// <summary>The txid of the last op written.</summary>
    public long LastTxId => _ops.LastTxId;

    /// <summary>The txid of the last op of the last edit written (a path-changing op; 0 before any).</summary>
    public long LastEditOpTxId { get; private set; }

    /// <summary>The txid of the project's last edit written.</summary>
    public long LastEditTxId { get; private set; }

    /// <summary>Appends the ops of <paramref name="edit"/>, starting a segment first when none is open, finalizing it when full.</summary>
    public void Append(EditRecord edit)
    {
        if (_segment is null)
        {
            _segmentFirst = _ops.NextTxId();
            _segment = new FileStream(Path.Join(_directory, SegmentFileName.InProgress(_segmentFirst)), FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
            var header = new EditLogEncoder(LayoutVersion);
            header.WriteHeader();
            header.WriteOp(new LogSegmentOp(_segmentFirst, EditLogOpCode.OP_START_LOG_SEGMENT));
            Write(header);
            _segmentCount = 1;
        }

        var encoder = new EditLogEncoder(LayoutVersion);
        foreach (var op in _ops.For(edit))
        {
            encoder.WriteOp(op);
            _segmentCount++;
        }

        Write(encoder);
        LastEditOpTxId = _ops.LastTxId;
        LastEditTxId = edit.TxId.Value;
        if (_segmentCount >= SegmentOps - 1)
        {
            Roll();
        }
    }

    /// <summary>Ends the open segment (OP_END_LOG_SEGMENT) and renames it finalized; nothing when none is open.</summary>
    public void Roll()
    {
        if (_segment is null)
        {
            return;
        }

        var end = new EditLogEncoder(LayoutVersion);
        var last = _ops.NextTxId();
        end.WriteOp(new LogSegmentOp(last, EditLogOpCode.OP_END_LOG_SEGMENT));
        Write(end);
        _segment.Dispose();
        _segment = null;
        File.Move(Path.Join(_directory, SegmentFileName.InProgress(_segmentFirst)), Path.Join(_directory, SegmentFileName.Finalized(_segmentFirst, last)));
    }

    private void Write(EditLogEncoder encoder)
    {
        _segment!.Write(encoder.ToArray());
        _segment.Flush(flushToDisk: false);
    }

    public void Dispose() => _segment?.Dispose();
}
