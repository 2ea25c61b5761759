using System.Text.Json;

namespace Unitization.DataManager.Lineage;

/// <summary>
/// Reads OpenLineage RunEvents as JSON lines; a malformed line is reported by line number and skipped. Lines are
/// parsed in parallel batches and added in file order, so the result does not depend on the number of cores.
/// </summary>
internal static class LineageFile
{
    private const int BatchSize = 8192;

    public static LineageReadResult Read(string path, LineageAccumulator accumulator, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new StreamReader(stream);
        var errors = new List<string>();
        int accepted = 0, skipped = 0, lineNumber = 0;
        var lines = new string[BatchSize];
        var events = new LineageEvent?[BatchSize];
        var messages = new string?[BatchSize];
        while (true)
        {
            var count = 0;
            while (count < BatchSize && reader.ReadLine() is { } line)
            {
                lines[count++] = line;
            }

            if (count == 0)
            {
                break;
            }

            Parallel.For(0, count, i => (events[i], messages[i]) = Parse(lines[i]));
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
            }

            progress?.Report((double)stream.Position / Math.Max(1, stream.Length));
        }

        progress?.Report(1.0);
        return new LineageReadResult(accepted, skipped, errors);
    }

    // A blank line is neither an event nor an error.
    private static (LineageEvent? Event, string? Error) Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            return LineageParser.TryParse(document.RootElement, out var lineageEvent, out var error) ? (lineageEvent, null) : (null, error);
        }
        catch (JsonException ex)
        {
            return (null, $"not valid JSON ({ex.Message})");
        }
    }
}
