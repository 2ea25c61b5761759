using System.Globalization;
using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// The two ways <c>unitization fs recover</c> resolves a corrupt edit log (as <c>hdfs namenode -recover</c> offers to
/// stop reading or to skip): truncate the log at the corruption, losing what follows, or replace the bad bytes with
/// placeholder edits (a SetTimes of the root carrying a note) so every edit after them is kept under its own txid. Both
/// first copy the log aside (<see cref="Backup"/>); the namespace must not be open.
/// </summary>
internal static class EditLogRepair
{
    /// <summary>Reads the frames after the corruption, in order, until the end of the file or the next bad frame.</summary>
    public static CorruptionReport Inspect(EditLogCorruptException corruption)
    {
        ArgumentNullException.ThrowIfNull(corruption);
        var edits = new List<EditRecord>();
        if (corruption.NextFrameOffset is not { } at)
        {
            return new CorruptionReport(corruption, edits, 0);
        }

        using var stream = new FileStream(corruption.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = stream.Length;
        stream.Seek(at, SeekOrigin.Begin);
        var header = new byte[EditLogCodec.HeaderSize];
        while (at + EditLogCodec.HeaderSize <= length)
        {
            stream.ReadExactly(header);
            if (EditLogCodec.ReadHeader(header) is not var (size, crc) || at + EditLogCodec.HeaderSize + size > length)
            {
                break;
            }

            var payload = new byte[size];
            stream.ReadExactly(payload);
            if (!EditLogCodec.CrcMatches(payload, crc))
            {
                break;
            }

            try
            {
                edits.Add(EditLogCodec.Decode(payload).Edit);
            }
            catch (InvalidDataException)
            {
                break;
            }

            at += EditLogCodec.HeaderSize + size;
        }

        return new CorruptionReport(corruption, edits, length - at);
    }

    /// <summary>Copies the log next to itself as <c>edits.log.before-recover-{time}</c> and returns that path.</summary>
    public static string Backup(string logPath, DateTimeOffset now)
    {
        var backup = $"{logPath}.before-recover-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        File.Copy(logPath, backup, overwrite: false);
        return backup;
    }

    /// <summary>Cuts the log at the corruption: the edits from there on are gone (their files, if any, stay on disk unlisted by the log).</summary>
    public static void Truncate(CorruptionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new FileStream(report.Corruption.LogPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        stream.SetLength(report.Corruption.Offset);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Replaces the bad bytes (from the corruption to the next valid frame) with <see cref="CorruptionReport.PlaceholdersToSkip"/>
    /// placeholder edits, writing the new log beside the old one and renaming it over it. Returns the placeholders.
    /// </summary>
    public static IReadOnlyList<EditRecord> Skip(CorruptionReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        var corruption = report.Corruption;
        var count = report.PlaceholdersToSkip
            ?? throw new InvalidOperationException(
                $"The bytes at {corruption.Offset} cannot be skipped: the edit after them has txid {report.EditsAfter.FirstOrDefault()?.TxId.Value} where {corruption.ExpectedTxId} or later is needed; truncate instead.");
        var note = $"fs recover skipped a corrupt frame at byte {corruption.Offset} ({corruption.Reason})";
        var placeholders = Enumerable.Range(0, (int)count)
            .Select(i => new LoggedEdit(new EditRecord(new TxId(corruption.ExpectedTxId + i), EditOp.SetTimes, NamespacePath.Root, null, 0, null, now), null, Note: note))
            .ToList();
        var path = corruption.LogPath;
        var rewritten = path + ".recover";
        using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var target = new FileStream(rewritten, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            CopyRange(source, target, 0, corruption.Offset);
            foreach (var placeholder in placeholders)
            {
                target.Write(EditLogCodec.Encode(placeholder));
            }

            CopyRange(source, target, corruption.NextFrameOffset!.Value, source.Length - corruption.NextFrameOffset.Value);
            target.Flush(flushToDisk: true);
        }

        File.Move(rewritten, path, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(path)!);
        return placeholders.ConvertAll(p => p.Edit);
    }

    private static void CopyRange(FileStream source, FileStream target, long offset, long count)
    {
        source.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[1 << 16];
        while (count > 0)
        {
            var read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read == 0)
            {
                throw new EndOfStreamException($"'{source.Name}' ended {count} bytes early.");
            }

            target.Write(buffer, 0, read);
            count -= read;
        }
    }
}
