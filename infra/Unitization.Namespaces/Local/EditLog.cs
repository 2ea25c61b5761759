using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;
using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// The append-only edit log file of a local namespace (format: <see cref="EditLogCodec"/>). Txids are the frame's
/// position: the first frame is txid 1 and every frame carries the txid it must have, so a gap is detected.
/// Only a bad last frame, one that nothing after it decodes as a frame, is a torn write: opening for writing drops it
/// (truncating the file there; <see cref="Torn"/> says what was dropped), a read-only open stops before it (the writer
/// may be appending it). A bad frame followed by anything that decodes as a frame is corruption at any size: every open
/// is refused with <see cref="EditLogCorruptException"/> naming the offset, and nothing is dropped.
/// The writer appends one frame, or a group of frames (group commit, at most <see cref="MaxGroupBytes"/>), with one write
/// and fsyncs it before the edits are applied (write-ahead); a group's frames are the frames single appends would write.
/// </summary>
internal sealed class EditLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<long> _offsets = [];
    private readonly FileStream? _writer;
    private long _end;

    private readonly string? _owner;

    private EditLog(string filePath, FileStream? writer, string? owner)
    {
        FilePath = filePath;
        _writer = writer;
        _owner = owner;
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

    /// <summary>A bad last frame the open found: a writable open dropped it, a read-only one did not read it. Null when the log ended on a frame.</summary>
    public TornTail? Torn { get; private set; }

    /// <summary>How many bytes of a torn last frame the open truncated (0 when the log was intact or the open is read-only).</summary>
    public long DroppedBytes => _writer is not null && Torn is { } torn ? torn.Bytes : 0;

    /// <summary>
    /// Opens (creating when missing, if <paramref name="writable"/>) and replays every complete edit through
    /// <paramref name="replay"/>, in txid order.
    /// </summary>
    /// <param name="owner">The namespace's id, for the recovery command an error names.</param>
    /// <param name="awaitCreation">Read-only: a log not created yet reads as empty, and <see cref="Refresh"/> picks it up once its writer creates it.</param>
    public static EditLog Open(string filePath, bool writable, Action<LoggedEdit> replay, string? owner = null, bool awaitCreation = false)
    {
        ArgumentNullException.ThrowIfNull(replay);
        FileStream? writer = null;
        TornTail? tornHeader = null;
        if (writable)
        {
            writer = new FileStream(filePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1, FileOptions.None);
            if (writer.Length < EditLogCodec.Magic.Length)
            {
                // a new log, or one whose creation was torn before the magic was complete
                if (writer.Length > 0)
                {
                    tornHeader = CheckMagicPrefix(writer, filePath, owner);
                }

                writer.SetLength(0);
                writer.Write(EditLogCodec.Magic);
                writer.Flush(flushToDisk: true);
            }
        }
        else if (!File.Exists(filePath))
        {
            if (awaitCreation)
            {
                return new EditLog(filePath, null, owner) { _end = EditLogCodec.Magic.Length };
            }

            throw new FileNotFoundException($"The namespace has no edit log at '{filePath}'.", filePath);
        }

        var log = new EditLog(filePath, writer, owner);
        try
        {
            log._end = EditLogCodec.Magic.Length;
            if (!log.CheckMagic())
            {
                log.Torn = new TornTail(0, new FileInfo(filePath).Length, "an incomplete file header");
                return log;
            }

            var outcome = log.Scan(replay);
            if (outcome.TornReason is not null)
            {
                log.Torn = new TornTail(log._end, outcome.FileLength - log._end, outcome.TornReason);
                if (writable)
                {
                    writer!.SetLength(log._end);
                    writer.Flush(flushToDisk: true);
                }
            }

            log.Torn ??= tornHeader;
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
        if (_writer is null && File.Exists(FilePath))
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
                var (length, crc) = EditLogCodec.ReadHeader(header) ?? throw Corrupt(stream.Position - header.Length, "an impossible frame length in a frame that was intact when the log was opened");
                if (payload.Length < length)
                {
                    payload = new byte[length];
                }

                await stream.ReadExactlyAsync(payload.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                if (!EditLogCodec.CrcMatches(payload.AsSpan(0, length), crc))
                {
                    throw Corrupt(stream.Position - length - header.Length, "a CRC mismatch in a frame that was intact when the log was opened");
                }

                yield return EditLogCodec.Decode(payload.AsSpan(0, length)).Edit;
            }
        }
    }

    public void Dispose() => _writer?.Dispose();

    /// <summary>
    /// Checks the file starts with the magic: false when it is shorter and holds a prefix of it (a creation torn before
    /// the magic was complete, which a read-only open sees as an empty log); anything else is corruption at byte 0.
    /// </summary>
    private bool CheckMagic()
    {
        using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < EditLogCodec.Magic.Length)
        {
            return CheckMagicPrefix(stream, FilePath, _owner) is null;
        }

        Span<byte> magic = stackalloc byte[EditLogCodec.Magic.Length];
        stream.ReadExactly(magic);
        return magic.SequenceEqual(EditLogCodec.Magic)
            ? true
            : throw new EditLogCorruptException(FilePath, 0, "it does not start with 'UNZEDIT1', so it is not a namespace edit log", 1, null, _owner);
    }

    /// <summary>A file shorter than the magic: a torn creation when it holds a prefix of the magic, else corruption.</summary>
    private static TornTail? CheckMagicPrefix(FileStream stream, string filePath, string? owner)
    {
        var bytes = new byte[stream.Length];
        stream.Seek(0, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        return bytes.AsSpan().SequenceEqual(EditLogCodec.Magic[..bytes.Length])
            ? (bytes.Length == 0 ? null : new TornTail(0, bytes.Length, "an incomplete file header"))
            : throw new EditLogCorruptException(filePath, 0, "it does not start with 'UNZEDIT1', so it is not a namespace edit log", 1, null, owner);
    }

    /// <summary>
    /// The offset of the first valid frame (a possible length, inside the file, a JSON object whose CRC matches) that
    /// starts at or after <paramref name="from"/>; null when none does. Reads the file in windows, so a long tail of
    /// garbage costs one pass.
    /// </summary>
    internal static long? FindNextFrame(SafeFileHandle handle, long from, long fileLength)
    {
        const int Window = 1 << 20;
        var buffer = new byte[Window + EditLogCodec.HeaderSize];
        for (var start = from; start + EditLogCodec.HeaderSize <= fileLength; start += Window)
        {
            var count = (int)Math.Min(buffer.Length, fileLength - start);
            ReadAt(handle, buffer.AsSpan(0, count), start);
            var last = Math.Min(Window, count - EditLogCodec.HeaderSize + 1);
            for (var i = 0; i < last; i++)
            {
                if (EditLogCodec.ReadHeader(buffer.AsSpan(i, EditLogCodec.HeaderSize)) is var (length, crc)
                    && start + i + EditLogCodec.HeaderSize + length <= fileLength
                    && IsFrame(handle, start + i + EditLogCodec.HeaderSize, length, crc))
                {
                    return start + i;
                }
            }
        }

        return null;
    }

    private static bool IsFrame(SafeFileHandle handle, long payloadOffset, int length, uint crc)
    {
        Span<byte> edge = stackalloc byte[1];
        ReadAt(handle, edge, payloadOffset);
        if (edge[0] != (byte)'{')
        {
            return false;
        }

        ReadAt(handle, edge, payloadOffset + length - 1);
        if (edge[0] != (byte)'}')
        {
            return false;
        }

        var payload = new byte[length];
        ReadAt(handle, payload, payloadOffset);
        return EditLogCodec.CrcMatches(payload, crc);
    }

    private static void ReadAt(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    private EditLogCorruptException Corrupt(long offset, string reason, long? next = null) =>
        new(FilePath, offset, reason, _offsets.Count + 1, next, _owner);

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
                                throw Corrupt(_end, "a frame whose checksum matches but which is " + ex.Message, _end + EditLogCodec.HeaderSize + length);
                            }

                            var expected = _offsets.Count + 1;
                            if (logged.Edit.TxId.Value != expected)
                            {
                                throw Corrupt(_end, $"a frame with txid {logged.Edit.TxId} where {expected} was expected", _end + EditLogCodec.HeaderSize + length);
                            }

                            replay(logged);
                            _offsets.Add(_end);
                            _end += EditLogCodec.HeaderSize + length;
                            continue;
                        }
                    }
                }

                // torn only if nothing after the bad frame's first byte decodes as a frame
                if (FindNextFrame(stream.SafeFileHandle, _end + 1, fileLength) is { } next)
                {
                    throw Corrupt(_end, torn, next);
                }

                return new ScanOutcome(fileLength, torn);
            }

            return new ScanOutcome(fileLength, null);
        }
    }

    private readonly record struct ScanOutcome(long FileLength, string? TornReason);
}
