using System.Text.Json;

namespace Unitization.DataManager.Lineage;

/// <summary>Reads OpenLineage RunEvents as JSON lines; a malformed line is reported by line number and skipped.</summary>
internal static class LineageFile
{
    public static LineageReadResult Read(string path, LineageAccumulator accumulator, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new StreamReader(stream);
        var errors = new List<string>();
        int accepted = 0, skipped = 0, lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string? error;
            try
            {
                using var document = JsonDocument.Parse(line);
                if (LineageParser.TryParse(document.RootElement, out var lineageEvent, out error))
                {
                    accumulator.Add(lineageEvent!);
                    accepted++;
                    if ((accepted & 0x3fff) == 0)
                    {
                        progress?.Report((double)stream.Position / Math.Max(1, stream.Length));
                    }

                    continue;
                }
            }
            catch (JsonException ex)
            {
                error = $"not valid JSON ({ex.Message})";
            }

            skipped++;
            if (errors.Count < LineageReadResult.MaxErrors)
            {
                errors.Add($"{path}:{lineNumber}: {error}");
            }
        }

        progress?.Report(1.0);
        return new LineageReadResult(accepted, skipped, errors);
    }
}
