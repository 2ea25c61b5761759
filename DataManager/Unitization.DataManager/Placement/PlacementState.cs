namespace Unitization.DataManager.Placement;

/// <summary>
/// A placement being improved: each job's datacenter, each dataset's primary, and per (dataset, datacenter) the
/// bytes read and written there. Replicas follow the rule "a replica where the bytes read exceed the copy cost", so
/// a dataset x with primary p costs <c>sum over d != p of min(R[x,d], C[x]) + W[x,d]</c>, and a move's change in
/// cost is computed from the datasets its job touches only.
/// </summary>
internal sealed class PlacementState
{
    private readonly PlacementProblem _problem;
    private readonly int _dcs;
    private readonly int[] _writers; // per (dataset, datacenter): the jobs there that write it
    private readonly int[] _seen; // per dataset: the stamp of the last MoveDelta that counted it
    private int _stamp;

    public PlacementState(PlacementProblem problem, int[] jobDatacenter)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(jobDatacenter);
        _problem = problem;
        _dcs = problem.DatacenterCount;
        JobDatacenter = jobDatacenter;
        Primary = new int[problem.DatasetCount];
        Read = new double[problem.DatasetCount * _dcs];
        Written = new double[problem.DatasetCount * _dcs];
        _writers = new int[problem.DatasetCount * _dcs];
        _seen = new int[problem.DatasetCount];
        Load = new double[_dcs];
        for (var j = 0; j < problem.JobCount; j++)
        {
            Apply(j, jobDatacenter[j], +1);
        }

        for (var x = 0; x < problem.DatasetCount; x++)
        {
            Primary[x] = BestPrimary(x, -1);
        }
    }

    public int[] JobDatacenter { get; }

    public int[] Primary { get; }

    public double[] Read { get; }

    public double[] Written { get; }

    public double[] Load { get; }

    public bool Fits(int job, int datacenter) =>
        JobDatacenter[job] == datacenter || Load[datacenter] + _problem.JobLoad[job] <= _problem.MostLoad(datacenter);

    /// <summary>
    /// The change in total cost if <paramref name="job"/> moved to <paramref name="to"/>, with the primaries of the
    /// datasets it touches re-chosen as <see cref="Move"/> re-chooses them (a job that alone writes a table takes the
    /// table's primary along): the exact change of the cost model, replicas and primaries included.
    /// </summary>
    public double MoveDelta(int job, int to)
    {
        var from = JobDatacenter[job];
        if (from == to)
        {
            return 0;
        }

        var p = _problem;
        var stamp = NextStamp();
        double delta = 0;
        for (var e = p.JobReadStart[job]; e < p.JobReadStart[job + 1]; e++)
        {
            delta += DatasetDelta(job, p.JobReadDataset[e], from, to, stamp);
        }

        for (var e = p.JobWriteStart[job]; e < p.JobWriteStart[job + 1]; e++)
        {
            delta += DatasetDelta(job, p.JobWriteDataset[e], from, to, stamp);
        }

        return delta;
    }

    /// <summary>Moves the job and re-chooses the primaries of the datasets it touches (every primary stays the best allowed).</summary>
    public void Move(int job, int to)
    {
        var from = JobDatacenter[job];
        if (from == to)
        {
            return;
        }

        Apply(job, from, -1);
        JobDatacenter[job] = to;
        Apply(job, to, +1);
        var p = _problem;
        for (var e = p.JobReadStart[job]; e < p.JobReadStart[job + 1]; e++)
        {
            Primary[p.JobReadDataset[e]] = BestPrimary(p.JobReadDataset[e], Primary[p.JobReadDataset[e]]);
        }

        for (var e = p.JobWriteStart[job]; e < p.JobWriteStart[job + 1]; e++)
        {
            Primary[p.JobWriteDataset[e]] = BestPrimary(p.JobWriteDataset[e], Primary[p.JobWriteDataset[e]]);
        }
    }

    // The change in dataset x's cost (best allowed primary before and after) if the job moved from → to; 0 for a
    // dataset already counted under this stamp (a job reading and writing the same table, or listing it twice).
    private double DatasetDelta(int job, int x, int from, int to, int stamp)
    {
        if (_seen[x] == stamp)
        {
            return 0;
        }

        _seen[x] = stamp;
        var p = _problem;
        double r = 0, w = 0;
        var writes = 0;
        for (var e = p.JobReadStart[job]; e < p.JobReadStart[job + 1]; e++)
        {
            r += p.JobReadDataset[e] == x ? p.JobReadBytes[e] : 0;
        }

        for (var e = p.JobWriteStart[job]; e < p.JobWriteStart[job + 1]; e++)
        {
            if (p.JobWriteDataset[e] == x)
            {
                w += p.JobWriteBytes[e];
                writes++;
            }
        }

        var before = PrimaryCost(x, Primary[x]);
        var c = p.CopyCost[x];
        var pinned = p.PinnedPrimary[x];
        var written = p.IsWritten(x);
        var after = double.PositiveInfinity;
        for (var primary = 0; primary < _dcs; primary++)
        {
            var writersThere = _writers[(x * _dcs) + primary] + (primary == to ? writes : 0) - (primary == from ? writes : 0);
            if (pinned >= 0 ? primary != pinned : written && writersThere <= 0)
            {
                continue;
            }

            double cost = 0;
            for (var d = 0; d < _dcs; d++)
            {
                if (d != primary)
                {
                    var shift = d == to ? 1 : d == from ? -1 : 0;
                    cost += Math.Min(Read[(x * _dcs) + d] + (shift * r), c) + Written[(x * _dcs) + d] + (shift * w);
                }
            }

            after = Math.Min(after, cost);
        }

        return after - before;
    }

    private int NextStamp()
    {
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_seen);
            _stamp = 1;
        }

        return _stamp;
    }

    /// <summary>
    /// <paramref name="evaluate"/>'s answer as if <paramref name="job"/> ran in <paramref name="at"/>; every number the
    /// move changes (the job's datacenter, the loads, the bytes read and written there of the datasets it touches) is
    /// saved first and put back bit for bit after, never by moving back: adding and then subtracting bytes leaves
    /// rounding residue, and a what-if must leave the state as it found it.
    /// </summary>
    public T WhatIf<T>(int job, int at, Func<T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        var from = JobDatacenter[job];
        if (from == at)
        {
            return evaluate();
        }

        var p = _problem;
        var (readStart, readEnd) = (p.JobReadStart[job], p.JobReadStart[job + 1]);
        var (writeStart, writeEnd) = (p.JobWriteStart[job], p.JobWriteStart[job + 1]);
        var saved = new double[2 * (readEnd - readStart + writeEnd - writeStart)];
        var k = 0;
        for (var e = readStart; e < readEnd; e++)
        {
            saved[k++] = Read[(p.JobReadDataset[e] * _dcs) + from];
            saved[k++] = Read[(p.JobReadDataset[e] * _dcs) + at];
        }

        for (var e = writeStart; e < writeEnd; e++)
        {
            saved[k++] = Written[(p.JobWriteDataset[e] * _dcs) + from];
            saved[k++] = Written[(p.JobWriteDataset[e] * _dcs) + at];
        }

        var primaries = new int[readEnd - readStart + writeEnd - writeStart];
        var i = 0;
        for (var e = readStart; e < readEnd; e++)
        {
            primaries[i++] = Primary[p.JobReadDataset[e]];
        }

        for (var e = writeStart; e < writeEnd; e++)
        {
            primaries[i++] = Primary[p.JobWriteDataset[e]];
        }

        var (loadFrom, loadAt) = (Load[from], Load[at]);
        Move(job, at);
        try
        {
            return evaluate();
        }
        finally
        {
            // in reverse, so a dataset listed twice gets the value saved first
            for (var e = writeEnd - 1; e >= writeStart; e--)
            {
                Written[(p.JobWriteDataset[e] * _dcs) + at] = saved[--k];
                Written[(p.JobWriteDataset[e] * _dcs) + from] = saved[--k];
                _writers[(p.JobWriteDataset[e] * _dcs) + at]--;
                _writers[(p.JobWriteDataset[e] * _dcs) + from]++;
                Primary[p.JobWriteDataset[e]] = primaries[--i];
            }

            for (var e = readEnd - 1; e >= readStart; e--)
            {
                Read[(p.JobReadDataset[e] * _dcs) + at] = saved[--k];
                Read[(p.JobReadDataset[e] * _dcs) + from] = saved[--k];
                Primary[p.JobReadDataset[e]] = primaries[--i];
            }

            (Load[from], Load[at]) = (loadFrom, loadAt);
            JobDatacenter[job] = from;
        }
    }

    /// <summary>
    /// The primary with the least cost for the dataset among the allowed ones (the pinned datacenter when the problem
    /// pins one; else, for a dataset jobs write, a datacenter where one of its writers runs); ties keep
    /// <paramref name="current"/>, then the lowest index.
    /// </summary>
    public int BestPrimary(int dataset, int current)
    {
        if (_problem.PinnedPrimary[dataset] >= 0)
        {
            return _problem.PinnedPrimary[dataset];
        }

        var best = current >= 0 && Allowed(dataset, current) ? current : Enumerable.Range(0, _dcs).First(d => Allowed(dataset, d));
        var bestCost = PrimaryCost(dataset, best);
        for (var d = 0; d < _dcs; d++)
        {
            var cost = PrimaryCost(dataset, d);
            if (cost < bestCost - 1e-9 && Allowed(dataset, d))
            {
                best = d;
                bestCost = cost;
            }
        }

        return best;
    }

    // a written dataset's primary goes where a writer runs (writers hold the data first); a source's anywhere
    private bool Allowed(int dataset, int d) => !_problem.IsWritten(dataset) || _writers[(dataset * _dcs) + d] > 0;

    /// <summary>Re-chooses every primary; returns how much cost that saved.</summary>
    public double ReassignPrimaries()
    {
        double saved = 0;
        for (var x = 0; x < _problem.DatasetCount; x++)
        {
            var before = PrimaryCost(x, Primary[x]);
            Primary[x] = BestPrimary(x, Primary[x]);
            saved += before - PrimaryCost(x, Primary[x]);
        }

        return saved;
    }

    /// <summary>Whether datacenter d holds a replica of dataset x under the rule (bytes read there exceed the copy cost).</summary>
    public bool HasReplica(int x, int d) => d != Primary[x] && ReplicaWanted(Read[(x * _dcs) + d], _problem.CopyCost[x]);

    // the replica rule with a guard against rounding residue left by adding and removing bytes
    private static bool ReplicaWanted(double read, double copyCost) => read > copyCost + 1e-6;

    public bool[] Replicas()
    {
        var replicas = new bool[_problem.DatasetCount * _dcs];
        for (var x = 0; x < _problem.DatasetCount; x++)
        {
            for (var d = 0; d < _dcs; d++)
            {
                replicas[(x * _dcs) + d] = HasReplica(x, d);
            }
        }

        return replicas;
    }

    public PlacementCost Cost()
    {
        double reads = 0, writes = 0, replication = 0;
        for (var x = 0; x < _problem.DatasetCount; x++)
        {
            var c = _problem.CopyCost[x];
            for (var d = 0; d < _dcs; d++)
            {
                if (d == Primary[x])
                {
                    continue;
                }

                var r = Read[(x * _dcs) + d];
                if (ReplicaWanted(r, c))
                {
                    replication += c;
                }
                else
                {
                    reads += r;
                }

                writes += Written[(x * _dcs) + d];
            }
        }

        return new PlacementCost(reads, writes, replication);
    }

    private double PrimaryCost(int x, int primary)
    {
        double cost = 0;
        var c = _problem.CopyCost[x];
        for (var d = 0; d < _dcs; d++)
        {
            if (d != primary)
            {
                cost += Math.Min(Read[(x * _dcs) + d], c) + Written[(x * _dcs) + d];
            }
        }

        return cost;
    }

    private void Apply(int job, int d, int sign)
    {
        var p = _problem;
        Load[d] += sign * p.JobLoad[job];
        for (var e = p.JobReadStart[job]; e < p.JobReadStart[job + 1]; e++)
        {
            Read[(p.JobReadDataset[e] * _dcs) + d] += sign * p.JobReadBytes[e];
        }

        for (var e = p.JobWriteStart[job]; e < p.JobWriteStart[job + 1]; e++)
        {
            Written[(p.JobWriteDataset[e] * _dcs) + d] += sign * p.JobWriteBytes[e];
            _writers[(p.JobWriteDataset[e] * _dcs) + d] += sign;
        }
    }
}
