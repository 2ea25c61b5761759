using System.Runtime.CompilerServices;
using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// The append-only edit log file of a local namespace (format: <see cref="EditLogCodec"/>). Txids are the frame's
/// position: the first frame is txid 1 and every frame carries the txid it must have, so a gap is detected.
/// Opening for writing drops a torn last frame (truncating the file there); a bad frame with more than one frame's
/// worth of bytes after it is corruption, not a torn write, and the open is refused instead of losing edits.
/// The writer appends one frame, or a group of frames (group commit, at most <see cref="MaxGroupBytes"/>), with one write
/// and fsyncs it before the edits are applied (write-ahead); a group's frames are the frames single appends would write.
/// </summary>
internal sealed class EditLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<long> _offsets = [];
    private readonly FileStream? _writer;
    private long _end;

    private EditLog(string filePath, FileStream? writer)
    {
        FilePath = filePath;
        _writer = writer;
    }

    public string FilePath { get; }

    /// <summary>The txid of the last complete frame (0 when empty).</summary>
    public long LastTxId
    {
        get
        {
            lock (_gate)
            {
                return _offsets.Count;
            }
        }
    }

    /// <summary>How many bytes of a torn last frame the open truncated (0 when the log was intact).</summary>
    public long DroppedBytes { get; private set; }

    /// <summary>Why the dropped bytes were dropped, for the log message.</summary>
    public string? DropReason { get; private set; }

    /// <summary>
    /// Opens (creating when missing, if <paramref name="writable"/>) and replays every complete edit through
    /// <paramref name="replay"/>, in txid order.
    /// </summary>
    public static EditLog Open(string filePath, bool writable, Action<LoggedEdit> replay)
    {
        ArgumentNullException.ThrowIfNull(replay);
        FileStream? writer = null;
        if (writable)
        {
            writer = new FileStream(filePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1, FileOptions.None);
            if (writer.Length < EditLogCodec.Magic.Length)
            {
                // a new log, or one whose creation was torn before the magic was complete
                writer.SetLength(0);
                writer.Write(EditLogCodec.Magic);
                writer.Flush(flushToDisk: true);
            }
        }
        else if (!File.Exists(filePath))
        {
            throw new FileNotFoundException($"The namespace has no edit log at '{filePath}'.", filePath);
        }

        var log = new EditLog(filePath, writer);
        try
        {
            log.CheckMagic();
            log._end = EditLogCodec.Magic.Length;
            var outcome = log.Scan(replay);
            if (outcome.TornReason is not null && writable)
            {
                log.DroppedBytes = outcome.FileLength - log._end;
                log.DropReason = outcome.TornReason;
                writer!.SetLength(log._end);
                writer.Flush(flushToDisk: true);
            }

            writer?.Seek(log._end, SeekOrigin.Begin);
            return log;
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>How many appends (writes with one fsync each) this instance made; a group of edits counts once.</summary>
    public long Appends { get; private set; }

    /// <summary>Appends one edit (its txid must be the next) and fsyncs it. On failure the file is cut back to the last good frame.</summary>
    public void Append(LoggedEdit logged) => Append([logged]);

    /// <summary>
    /// Appends a group of edits (consecutive txids, the first the next) as one write of their frames, one after another
    /// as single appends would have written them, and one fsync (group commit). On failure the file is cut back to the
    /// last good frame and none of them is logged. Keep a group within <see cref="MaxGroupBytes"/>, so a group torn by a
    /// crash is still recognized as a torn tail on open.
    /// </summary>
    public void Append(IReadOnlyList<LoggedEdit> group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var writer = _writer ?? throw new InvalidOperationException("The edit log is open read-only.");
        var expected = LastTxId + 1;
        var frames = new List<byte[]>(group.Count);
        foreach (var logged in group)
        {
            if (logged.Edit.TxId.Value != expected)
            {
                throw new InvalidOperationException($"Edit txid {logged.Edit.TxId} appended where {expected} is next.");
            }

            frames.Add(EditLogCodec.Encode(logged));
            expected++;
        }

        var bytes = frames.Count == 1 ? frames[0] : [.. frames.SelectMany(frame => frame)];
        if (frames.Count > 1 && bytes.Length > MaxGroupBytes)
        {
            throw new InvalidOperationException($"A group of {frames.Count} edits takes {bytes.Length} bytes, more than the {MaxGroupBytes} one append may take.");
        }

        try
        {
            writer.Write(bytes);
            writer.Flush(flushToDisk: true);
        }
        catch
        {
            writer.SetLength(_end);
            writer.Seek(_end, SeekOrigin.Begin);
            throw;
        }

        lock (_gate)
        {
            foreach (var frame in frames)
            {
                _offsets.Add(_end);
                _end += frame.Length;
            }

            Appends++;
        }
    }

    /// <summary>
    /// The most one append of several edits may write: one largest frame. A crash can tear only the last append, so
    /// whatever follows a bad frame is then never more than this, and anything more is corruption, not a torn tail.
    /// </summary>
    public const int MaxGroupBytes = EditLogCodec.HeaderSize + EditLogCodec.MaxPayload;

    /// <summary>Read-only logs: picks up the complete frames another process appended since the last look.</summary>
    public void Refresh(Action<LoggedEdit> replay)
    {
        if (_writer is null)
        {
            Scan(replay);
        }
    }

    /// <summary>Reads the edits with txids <paramref name="first"/> to <paramref name="last"/> (both complete in the log).</summary>
    public async IAsyncEnumerable<EditRecord> ReadAsync(long first, long last, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long offset;
        lock (_gate)
        {
            if (first < 1 || last > _offsets.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(first), $"Edits {first}..{last} are not in the log (it holds 1..{_offsets.Count}).");
            }

            offset = _offsets[(int)(first - 1)];
        }

        var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            stream.Seek(offset, SeekOrigin.Begin);
            var header = new byte[EditLogCodec.HeaderSize];
            var payload = new byte[1024];
            for (var tx = first; tx <= last; tx++)
            {
                await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
                var (length, crc) = EditLogCodec.ReadHeader(header) ?? throw Corrupt(stream.Position - header.Length, "impossible frame length");
                if (payload.Length < length)
                {
                    payload = new byte[length];
                }

                await stream.ReadExactlyAsync(payload.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                if (!EditLogCodec.CrcMatches(payload.AsSpan(0, length), crc))
                {
                    throw Corrupt(stream.Position - length - header.Length, "CRC mismatch in a frame that was intact when the log was opened");
                }

                yield return EditLogCodec.Decode(payload.AsSpan(0, length)).Edit;
            }
        }
    }

    public void Dispose() => _writer?.Dispose();

    private void CheckMagic()
    {
        using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> magic = stackalloc byte[EditLogCodec.Magic.Length];
        if (stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) < magic.Length || !magic.SequenceEqual(EditLogCodec.Magic))
        {
            throw new InvalidDataException($"'{FilePath}' is not a namespace edit log (it does not start with 'UNZEDIT1').");
        }
    }

    private InvalidDataException Corrupt(long offset, string reason) =>
        new($"The edit log '{FilePath}' is corrupt at byte {offset}: {reason}.");

    /// <summary>Scans complete frames from the current end, replaying each and recording its offset.</summary>
    private ScanOutcome Scan(Action<LoggedEdit> replay)
    {
        lock (_gate)
        {
            using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            var fileLength = stream.Length;
            stream.Seek(_end, SeekOrigin.Begin);
            var header = new byte[EditLogCodec.HeaderSize];
            var payload = new byte[1024];
            while (_end < fileLength)
            {
                string? torn = null;
                if (fileLength - _end < EditLogCodec.HeaderSize)
                {
                    torn = $"an incomplete frame header ({fileLength - _end} bytes)";
                }
                else
                {
                    stream.ReadExactly(header);
                    if (EditLogCodec.ReadHeader(header) is not var (length, crc))
                    {
                        torn = "an impossible frame length";
                    }
                    else if (_end + EditLogCodec.HeaderSize + length > fileLength)
                    {
                        torn = $"a frame of {length} bytes that runs past the end of the file";
                    }
                    else
                    {
                        if (payload.Length < length)
                        {
                            payload = new byte[length];
                        }

                        stream.ReadExactly(payload.AsSpan(0, length));
                        if (!EditLogCodec.CrcMatches(payload.AsSpan(0, length), crc))
                        {
                            torn = "a frame whose CRC does not match";
                        }
                        else
                        {
                            LoggedEdit logged;
                            try
                            {
                                logged = EditLogCodec.Decode(payload.AsSpan(0, length));
                            }
                            catch (InvalidDataException ex)
                            {
                                throw Corrupt(_end, ex.Message);
                            }

                            var expected = _offsets.Count + 1;
                            if (logged.Edit.TxId.Value != expected)
                            {
                                throw Corrupt(_end, $"txid {logged.Edit.TxId} where {expected} was expected");
                            }

                            replay(logged);
                            _offsets.Add(_end);
                            _end += EditLogCodec.HeaderSize + length;
                            continue;
                        }
                    }
                }

                var remaining = fileLength - _end;
                if (remaining > MaxGroupBytes && _writer is not null)
                {
                    throw Corrupt(_end, $"{torn}, followed by {remaining} bytes (more than one edit, so this is not a torn last write); refusing to drop them. Restore the log or cut it at this offset by hand");
                }

                return new ScanOutcome(fileLength, torn);
            }

            return new ScanOutcome(fileLength, null);
        }
    }

    private readonly record struct ScanOutcome(long FileLength, string? TornReason);
}
