using Unitization.DataManager.Lineage;

namespace Unitization.DataManager.Marquez;

/// <summary>
/// The lineage DataManager holds (jobs, datasets, read and write edges over the window, and datasets announced by
/// DatasetEvents), shaped as Marquez's read API answers: namespaces, jobs and datasets per namespace, and the lineage
/// graph around a node (<c>job:{namespace}:{name}</c> or <c>dataset:{namespace}:{name}</c>) up to a depth.
/// </summary>
internal sealed class MarquezCatalog
{
    private readonly Dictionary<JobRef, MarquezJob> _jobs = [];
    private readonly Dictionary<DatasetRef, MarquezDataset> _datasets = [];
    private readonly Dictionary<JobRef, List<DatasetRef>> _inputs = [];
    private readonly Dictionary<JobRef, List<DatasetRef>> _outputs = [];
    private readonly Dictionary<DatasetRef, List<JobRef>> _readers = [];
    private readonly Dictionary<DatasetRef, List<JobRef>> _writers = [];

    public MarquezCatalog(LineageSnapshot lineage, IEnumerable<DatasetRef> announced)
    {
        ArgumentNullException.ThrowIfNull(lineage);
        ArgumentNullException.ThrowIfNull(announced);
        foreach (var dataset in lineage.Datasets.Concat(announced))
        {
            _datasets.TryAdd(dataset, Dataset(dataset));
        }

        for (var i = 0; i < lineage.ReadJob.Length; i++)
        {
            Link(lineage.Jobs[lineage.ReadJob[i]], lineage.Datasets[lineage.ReadDataset[i]], _inputs, _readers);
        }

        for (var i = 0; i < lineage.WriteJob.Length; i++)
        {
            Link(lineage.Jobs[lineage.WriteJob[i]], lineage.Datasets[lineage.WriteDataset[i]], _outputs, _writers);
        }

        foreach (var job in lineage.Jobs)
        {
            _jobs[job] = new MarquezJob(
                new MarquezId(job.Namespace, job.Name), "BATCH", job.Name, job.Name, job.Namespace,
                [.. _inputs.GetValueOrDefault(job, []).Select(d => new MarquezId(d.Namespace, d.Name))],
                [.. _outputs.GetValueOrDefault(job, []).Select(d => new MarquezId(d.Namespace, d.Name))]);
        }
    }

    public IReadOnlyList<MarquezNamespace> Namespaces() =>
        [.. _jobs.Keys.Select(j => j.Namespace).Concat(_datasets.Keys.Select(d => d.Namespace))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(n => new MarquezNamespace(n, "unitization", null, false))];

    public bool HasNamespace(string ns) => _jobs.Keys.Any(j => j.Namespace == ns) || _datasets.Keys.Any(d => d.Namespace == ns);

    public IReadOnlyList<MarquezJob> Jobs(string ns) =>
        [.. _jobs.Values.Where(j => j.Namespace == ns).OrderBy(j => j.Name, StringComparer.Ordinal)];

    public IReadOnlyList<MarquezDataset> Datasets(string ns) =>
        [.. _datasets.Values.Where(d => d.Namespace == ns).OrderBy(d => d.Name, StringComparer.Ordinal)];

    /// <summary>
    /// Reads <c>job:{namespace}:{name}</c> or <c>dataset:{namespace}:{name}</c>. Namespaces hold ':' themselves
    /// (<c>spark://cluster:7077</c>, <c>hive://metastore</c>), so the split is the one whose namespace is known (the
    /// longest when several are); an unknown node yields null.
    /// </summary>
    public MarquezNodeId? Find(string nodeId)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        var (type, rest) = nodeId.StartsWith("job:", StringComparison.Ordinal) ? ("JOB", nodeId[4..])
            : nodeId.StartsWith("dataset:", StringComparison.Ordinal) ? ("DATASET", nodeId[8..])
            : (null, string.Empty);
        if (type is null)
        {
            return null;
        }

        for (var colon = rest.LastIndexOf(':'); colon > 0; colon = rest.LastIndexOf(':', colon - 1))
        {
            var (ns, name) = (rest[..colon], rest[(colon + 1)..]);
            if (type == "JOB" ? _jobs.ContainsKey(new JobRef(ns, name)) : _datasets.ContainsKey(new DatasetRef(ns, name)))
            {
                return new MarquezNodeId(type, ns, name);
            }
        }

        return null;
    }

    /// <summary>Marquez's <c>{"graph":[...]}</c>: every node within <paramref name="depth"/> edges of <paramref name="start"/>, each with its in and out edges.</summary>
    public MarquezLineage Graph(MarquezNodeId start, int depth)
    {
        ArgumentNullException.ThrowIfNull(start);
        var seen = new HashSet<MarquezNodeId> { start };
        var frontier = new List<MarquezNodeId> { start };
        for (var level = 0; level < depth && frontier.Count > 0; level++)
        {
            var next = new List<MarquezNodeId>();
            foreach (var node in frontier)
            {
                foreach (var neighbour in Neighbours(node).Where(seen.Add))
                {
                    next.Add(neighbour);
                }
            }

            frontier = next;
        }

        var graph = new List<MarquezNode>(seen.Count);
        foreach (var node in seen.OrderBy(n => n.Id, StringComparer.Ordinal))
        {
            if (node.Type == "JOB")
            {
                var job = new JobRef(node.Namespace, node.Name);
                graph.Add(new MarquezNode(node.Id, node.Type, _jobs[job],
                    [.. _inputs.GetValueOrDefault(job, []).Select(d => new MarquezEdge(DatasetNode(d).Id, node.Id))],
                    [.. _outputs.GetValueOrDefault(job, []).Select(d => new MarquezEdge(node.Id, DatasetNode(d).Id))]));
            }
            else
            {
                var dataset = new DatasetRef(node.Namespace, node.Name);
                graph.Add(new MarquezNode(node.Id, node.Type, _datasets[dataset],
                    [.. _writers.GetValueOrDefault(dataset, []).Select(j => new MarquezEdge(JobNode(j).Id, node.Id))],
                    [.. _readers.GetValueOrDefault(dataset, []).Select(j => new MarquezEdge(node.Id, JobNode(j).Id))]));
            }
        }

        return new MarquezLineage(graph);
    }

    private IEnumerable<MarquezNodeId> Neighbours(MarquezNodeId node)
    {
        if (node.Type == "JOB")
        {
            var job = new JobRef(node.Namespace, node.Name);
            return _inputs.GetValueOrDefault(job, []).Concat(_outputs.GetValueOrDefault(job, [])).Select(DatasetNode);
        }

        var dataset = new DatasetRef(node.Namespace, node.Name);
        return _readers.GetValueOrDefault(dataset, []).Concat(_writers.GetValueOrDefault(dataset, [])).Select(JobNode);
    }

    private static MarquezNodeId JobNode(JobRef job) => new("JOB", job.Namespace, job.Name);

    private static MarquezNodeId DatasetNode(DatasetRef dataset) => new("DATASET", dataset.Namespace, dataset.Name);

    private static MarquezDataset Dataset(DatasetRef d) =>
        new(new MarquezId(d.Namespace, d.Name), "DB_TABLE", d.Name, d.Name, d.Namespace, d.Namespace, [], [], new Dictionary<string, object>());

    private static void Link<TFrom, TTo>(TFrom from, TTo to, Dictionary<TFrom, List<TTo>> forward, Dictionary<TTo, List<TFrom>> backward)
        where TFrom : notnull
        where TTo : notnull
    {
        var list = forward.TryGetValue(from, out var f) ? f : forward[from] = [];
        if (!list.Contains(to))
        {
            list.Add(to);
        }

        var back = backward.TryGetValue(to, out var b) ? b : backward[to] = [];
        if (!back.Contains(from))
        {
            back.Add(from);
        }
    }
}
