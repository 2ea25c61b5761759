using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Unitization.DataManager.Lineage;

/// <summary>
/// Reads OpenLineage RunEvents as JSON lines; a malformed line is reported by line number and skipped. The file is
/// read as UTF-8 bytes in large blocks and split at line feeds; the lines of a block are parsed in parallel straight
/// from the bytes (<see cref="LineageParser"/>) and added in file order, so the result does not depend on the number
/// of cores.
/// </summary>
internal static class LineageFile
{
    private const int BlockSize = 4 << 20;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static LineageReadResult Read(string path, LineageAccumulator accumulator, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var errors = new List<string>();
        int accepted = 0, skipped = 0, lineNumber = 0;
        var buffer = new byte[BlockSize];
        var filled = 0;
        var starts = new List<int>();
        var lengths = new List<int>();
        LineageEvent?[] events = [];
        string?[] messages = [];
        var first = true;
        var end = false;
        while (!end)
        {
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            end = read == 0;
            filled += read;
            var from = 0;
            if (first && filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                from = 3; // UTF-8 byte order mark
            }

            first = false;
            starts.Clear();
            lengths.Clear();
            while (from < filled)
            {
                var newline = buffer.AsSpan(from, filled - from).IndexOf((byte)'\n');
                if (newline < 0 && !end)
                {
                    break;
                }

                var length = newline < 0 ? filled - from : newline;
                starts.Add(from);
                lengths.Add(length);
                from += length + 1;
            }

            var count = starts.Count;
            if (events.Length < count)
            {
                events = new LineageEvent?[count];
                messages = new string?[count];
            }

            var lineBuffer = buffer;
            Parallel.For(0, count, i => (events[i], messages[i]) = Parse(lineBuffer.AsSpan(starts[i], lengths[i])));
            if (lineNumber == 0 && count > 0 && !end)
            {
                // size the accumulator from the first block: lines per byte, inputs and outputs per event
                var io = 0;
                for (var i = 0; i < count; i++)
                {
                    io += events[i] is { } e ? e.Inputs.Count + e.Outputs.Count : 0;
                }

                accumulator.Reserve(stream.Length * count / Math.Max(1, from), (double)io / count);
            }

            for (var i = 0; i < count; i++)
            {
                lineNumber++;
                if (events[i] is { } lineageEvent)
                {
                    accumulator.Add(lineageEvent);
                    accepted++;
                }
                else if (messages[i] is { } error)
                {
                    skipped++;
                    if (errors.Count < LineageReadResult.MaxErrors)
                    {
                        errors.Add($"{path}:{lineNumber}: {error}");
                    }
                }

                events[i] = null;
                messages[i] = null;
            }

            // keep the unfinished last line; a line longer than the buffer doubles it
            var rest = Math.Max(0, filled - from);
            if (rest == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            else if (rest > 0)
            {
                Buffer.BlockCopy(buffer, from, buffer, 0, rest);
            }

            filled = rest;
            progress?.Report((double)stream.Position / Math.Max(1, stream.Length));
        }

        progress?.Report(1.0);
        return new LineageReadResult(accepted, skipped, errors);
    }

    // A blank line is neither an event nor an error.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (LineageEvent? Event, string? Error) Parse(ReadOnlySpan<byte> line)
    {
        line = line.TrimEnd((byte)'\r');
        if (line.Trim(" \t\r"u8).IsEmpty)
        {
            return (null, null);
        }

        try
        {
            return LineageParser.TryParse(line, out var lineageEvent, out var error) ? (lineageEvent, null) : (null, error);
        }
        catch (JsonException ex)
        {
            return (null, $"not valid JSON ({ex.Message})");
        }
        catch (InvalidOperationException ex)
        {
            return (null, $"not valid UTF-8 text ({ex.Message})");
        }
    }
}
