using System.Globalization;
using System.Text;
using System.Text.Json;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Ingest;

/// <summary>
/// Batches waiting on disk for ClickHouse: one file a batch (JSON lines, the traffic topic's own format), written to a
/// temporary name, flushed to disk and renamed, so a file that exists is whole. Files are drained oldest first.
/// </summary>
internal sealed class TrafficSpool
{
    private const string Extension = ".jsonl";
    private readonly string _folder;
    private long _sequence;

    public TrafficSpool(string folder)
    {
        _folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(_folder);
        foreach (var stray in Directory.EnumerateFiles(_folder, "*.tmp"))
        {
            File.Delete(stray); // a batch torn by a crash before its rename: its offsets were never committed
        }

        _sequence = Pending().Select(SequenceOf).DefaultIfEmpty(0).Max();
    }

    public string Folder => _folder;

    public bool IsEmpty => Pending().Count == 0;

    public IReadOnlyList<string> Pending() =>
        [.. Directory.EnumerateFiles(_folder, "*" + Extension).Order(StringComparer.Ordinal)];

    public string Write(IReadOnlyList<TrafficRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var sequence = Interlocked.Increment(ref _sequence);
        var path = Path.Combine(_folder, sequence.ToString("D20", CultureInfo.InvariantCulture) + Extension);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                foreach (var record in records)
                {
                    TrafficRecordJson.Write(writer, record);
                    writer.Flush();
                    writer.Reset();
                    stream.WriteByte((byte)'\n');
                }
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path);
        return path;
    }

    /// <summary>Reads a spooled batch; a line that does not parse means the file was damaged outside this process.</summary>
    public static List<TrafficRecord> Read(string path)
    {
        var records = new List<TrafficRecord>();
        var number = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            if (!TrafficRecordJson.TryParse(Encoding.UTF8.GetBytes(line), out var record, out var error))
            {
                throw new InvalidDataException($"{path}:{number}: {error}");
            }

            records.Add(record!);
        }

        return records;
    }

    public static void Delete(string path) => File.Delete(path);

    private static long SequenceOf(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
