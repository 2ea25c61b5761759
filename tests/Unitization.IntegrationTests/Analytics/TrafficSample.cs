using Unitization.Analytics.Traffic;

namespace Unitization.IntegrationTests.Analytics;

/// <summary>Known traffic: jobs <c>{prefix}-job-NN</c> with distinct, predictable byte totals.</summary>
internal static class TrafficSample
{
    public static List<TrafficRecord> Make(string prefix, int jobs, int recordsPerJob, DateTimeOffset now)
    {
        var records = new List<TrafficRecord>();
        for (var j = 0; j < jobs; j++)
        {
            for (var r = 0; r < recordsPerJob; r++)
            {
                var bytes = (jobs - j) * 1_000_000L + r;
                var (source, destination) = r % 3 == 0 ? ("dcA", "dcA") : ("dcB", "dcA");
                records.Add(new TrafficRecord(
                    $"{prefix}-{j}-{r}", $"{prefix}-job-{j:D2}", source, destination, bytes, "read", r % 2 == 0 ? "router" : "client",
                    now.AddSeconds(-(r % 600))));
            }
        }

        return records;
    }

    public static List<TrafficRecord> Replication(string prefix, int count, DateTimeOffset now) =>
        [.. Enumerable.Range(0, count).Select(i => new TrafficRecord($"{prefix}-copy-{i}", $"{prefix}-rule", "dcA", "dcB", 4096L * (i + 1), "copy", "replicator", now.AddSeconds(-i * 5))
        {
            ReplicationLagSeconds = 1 + i % 10,
        })];
}
