using Unitization.DataManager.Communities;
using Unitization.DataManager.Lineage;
using Unitization.DataManager.Plans;

namespace Unitization.Benchmarks.Bench.DataManager;

/// <summary>
/// A lineage with the shapes of a warehouse's ETL, built in memory for <c>bench place --exact</c>: hub source tables
/// (ingested, written by no job; a few are read by many jobs, each job reading a partition of 5-35 %), domains of 40-200
/// jobs whose jobs mostly extend long chains (a job reads its predecessor's output) and read earlier tables of their
/// domain, and dense marts (one job in twenty reads 6-15 tables, some from other domains). Each job writes one table;
/// sizes are log-normal. Deterministic per seed. <see cref="SourcePrimaries"/> says where each hub lands (the metastore
/// writes raw data in a given datacenter), as a deployment configures <c>DataManager:SourcePrimaries</c>.
/// </summary>
internal static class ShapedLineage
{
    private const string HubPrefix = "src.hub_";

    /// <summary>
    /// Each hub source table's primary: hub s lands in the datacenter its point <c>frac(s * golden ratio)</c> falls in
    /// when [0, 1) is cut by the shares (so the datacenters receive raw data in proportion to their shares, mixed
    /// over popular and rare hubs).
    /// </summary>
    public static List<SourcePrimary> SourcePrimaries(LineageSnapshot lineage, IReadOnlyList<string> datacenters, IReadOnlyList<double> shares)
    {
        ArgumentNullException.ThrowIfNull(lineage);
        var total = shares.Sum();
        var pins = new List<SourcePrimary>();
        foreach (var dataset in lineage.Datasets)
        {
            if (!dataset.Name.StartsWith(HubPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var s = int.Parse(dataset.Name.AsSpan(HubPrefix.Length), System.Globalization.CultureInfo.InvariantCulture);
            var point = (s * 0.6180339887498949) % 1.0 * total;
            var d = 0;
            while (d < shares.Count - 1 && point >= shares[d])
            {
                point -= shares[d++];
            }

            pins.Add(new SourcePrimary { Namespace = dataset.Namespace, Name = dataset.Name, Datacenter = datacenters[d] });
        }

        return pins;
    }

    public static LineageSnapshot Create(int jobs, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        var random = SplitMix64.For(seed, 31, jobs);
        var hubs = Math.Max(5, jobs / 100);
        var size = new List<double>(hubs + jobs);
        var datasets = new List<DatasetRef>(hubs + jobs);
        for (var s = 0; s < hubs; s++)
        {
            size.Add(LogNormal(ref random, 23, 1.2));
            datasets.Add(new DatasetRef("hive://metastore", $"{HubPrefix}{s:D4}"));
        }

        var jobRefs = new JobRef[jobs];
        var dags = new string[jobs];
        var readJob = new List<int>();
        var readDataset = new List<int>();
        var readBytes = new List<double>();
        var writeJob = new int[jobs];
        var writeDataset = new int[jobs];
        var writeBytes = new double[jobs];
        var domain = 0;
        var domainStart = 0;
        var domainSize = 40 + random.Next(161);
        var domainHubs = new int[3];
        var inputs = new HashSet<int>();
        for (var j = 0; j < jobs; j++)
        {
            if (j == 0 || j - domainStart >= domainSize)
            {
                domain += j == 0 ? 0 : 1;
                domainStart = j;
                domainSize = 40 + random.Next(161);
                for (var k = 0; k < domainHubs.Length; k++)
                {
                    domainHubs[k] = PopularHub(ref random);
                }
            }

            jobRefs[j] = new JobRef("airflow", $"domain_{domain:D4}.job_{j:D6}");
            dags[j] = $"domain_{domain:D4}";
            var output = hubs + j;
            size.Add(LogNormal(ref random, 20, 1.5));
            datasets.Add(new DatasetRef("hive://metastore", $"d{domain:D4}.t{j:D6}"));
            (writeJob[j], writeDataset[j], writeBytes[j]) = (j, output, size[output]);

            inputs.Clear();
            if (j > domainStart && random.NextDouble() < 0.7)
            {
                inputs.Add(output - 1); // the chain
            }

            if (j == domainStart || random.NextDouble() < 0.5)
            {
                inputs.Add(domainHubs[random.Next(domainHubs.Length)]);
            }

            var mart = random.NextDouble() < 0.05;
            var more = mart ? 6 + random.Next(10) : 1 + random.Next(3);
            for (var k = 0; k < more; k++)
            {
                var pick = random.NextDouble();
                if (pick < (mart ? 0.6 : 0.75) && j > domainStart)
                {
                    inputs.Add(hubs + domainStart + random.Next(j - domainStart));
                }
                else if (pick < (mart ? 0.85 : 0.78) && j > 0)
                {
                    inputs.Add(hubs + random.Next(j));
                }
                else
                {
                    inputs.Add(PopularHub(ref random));
                }
            }

            foreach (var x in inputs.Order())
            {
                readJob.Add(j);
                readDataset.Add(x);
                readBytes.Add(x < hubs ? size[x] * (0.05 + (0.3 * random.NextDouble())) : size[x]);
            }
        }

        return new LineageSnapshot
        {
            Jobs = jobRefs,
            Dags = dags,
            Runs = Enumerable.Repeat(1, jobs).ToArray(),
            Datasets = [.. datasets],
            ReadJob = [.. readJob],
            ReadDataset = [.. readDataset],
            ReadBytesPerDay = [.. readBytes],
            WriteJob = writeJob,
            WriteDataset = writeDataset,
            WriteBytesPerDay = writeBytes,
            Days = 1,
        };

        // a few hubs are read by most domains: the square skews the pick towards the first ones
        int PopularHub(ref SplitMix64 r)
        {
            var u = r.NextDouble();
            return Math.Min(hubs - 1, (int)(hubs * u * u));
        }
    }

    private static double LogNormal(ref SplitMix64 random, double mu, double sigma)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Exp(mu + (sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)));
    }
}
