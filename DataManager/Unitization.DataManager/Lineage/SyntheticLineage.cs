using System.Text.Json;
using Unitization.DataManager.Communities;

namespace Unitization.DataManager.Lineage;

/// <summary>
/// Writes a synthetic OpenLineage lineage (JSON lines) for benchmarks and the demo: jobs grouped in data domains,
/// each job writing one Hive table and reading <c>reads / jobs</c> tables on average, mostly of its own domain and
/// from the given source tables; jobs belong to scheduler DAGs that only partly follow the domains. Deterministic.
/// </summary>
internal static class SyntheticLineage
{
    public const string HiveNamespace = "hive://metastore";

    public static void Write(string path, int jobs, int reads, int days, long seed, IReadOnlyList<string> sourceTables, DateTimeOffset end)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        ArgumentNullException.ThrowIfNull(sourceTables);
        var random = SplitMix64.For(seed, 7, 0);
        var domains = Math.Max(1, jobs / 60);
        var domainOf = new int[jobs];
        var size = new long[jobs];
        var dag = new string[jobs];
        var name = new string[jobs];
        for (var j = 0; j < jobs; j++)
        {
            domainOf[j] = (int)((long)j * domains / jobs);
            size[j] = (long)(Math.Exp(18 + (4 * random.NextDouble())) / 10);
            var dagNumber = random.NextDouble() < 0.6 ? j / 8 : random.Next(Math.Max(1, jobs / 8));
            dag[j] = $"dag_{dagNumber:D5}";
            name[j] = $"{dag[j]}.task_{j:D6}";
        }

        var sourceSize = sourceTables.Select(_ => (long)Math.Exp(20 + (3 * random.NextDouble()))).ToArray();
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new Utf8JsonWriter(stream);
        var newline = "\n"u8.ToArray();
        var inputs = new List<(string Name, long Bytes)>();
        for (var day = days - 1; day >= 0; day--)
        {
            var stamp = end.AddDays(-day);
            var dayRandom = SplitMix64.For(seed, 11, 0);
            for (var j = 0; j < jobs; j++)
            {
                inputs.Clear();
                var first = (int)Math.Ceiling((double)domainOf[j] * jobs / domains);
                var count = Math.Max(1, (int)Math.Round((double)reads / jobs * (0.5 + dayRandom.NextDouble())));
                for (var r = 0; r < count; r++)
                {
                    var pick = dayRandom.NextDouble();
                    if (sourceTables.Count > 0 && (pick < 0.1 || j == first))
                    {
                        var s = (j + r) % sourceTables.Count;
                        inputs.Add((sourceTables[s], sourceSize[s] / 20));
                        continue;
                    }

                    int other;
                    if (pick < 0.9)
                    {
                        var width = Math.Max(1, j - first);
                        other = first + dayRandom.Next(width);
                    }
                    else
                    {
                        other = dayRandom.Next(jobs);
                    }

                    if (other == j)
                    {
                        continue;
                    }

                    inputs.Add((TableOf(other), size[other]));
                }

                writer.Reset();
                writer.WriteStartObject();
                writer.WriteString("eventType", "COMPLETE");
                writer.WriteString("eventTime", stamp.AddSeconds(j % 86_000));
                writer.WriteStartObject("run");
                writer.WriteString("runId", $"{seed:x8}-{day:x4}-{j:x8}");
                writer.WriteEndObject();
                writer.WriteStartObject("job");
                writer.WriteString("namespace", "airflow");
                writer.WriteString("name", name[j]);
                writer.WriteEndObject();
                writer.WriteStartArray("inputs");
                foreach (var (table, bytes) in inputs.DistinctBy(i => i.Name))
                {
                    Dataset(writer, table, "inputFacets", "inputStatistics", bytes);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("outputs");
                Dataset(writer, TableOf(j), "outputFacets", "outputStatistics", size[j]);
                writer.WriteEndArray();
                writer.WriteString("producer", "https://github.com/unitization/synthetic-lineage");
                writer.WriteString("schemaURL", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent");
                writer.WriteEndObject();
                writer.Flush();
                stream.Write(newline);
            }
        }

        string TableOf(int job) => $"d{domainOf[job]:D4}.t{job:D6}";
    }

    private static void Dataset(Utf8JsonWriter writer, string name, string facets, string statistics, long bytes)
    {
        writer.WriteStartObject();
        writer.WriteString("namespace", HiveNamespace);
        writer.WriteString("name", name);
        writer.WriteStartObject(facets);
        writer.WriteStartObject(statistics);
        writer.WriteNumber("size", bytes);
        writer.WriteNumber("rowCount", bytes / 100);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
