using System.Runtime.CompilerServices;
using Unitization.DataManager.Hosting;
using Unitization.DataManager.Lineage;
using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Service;

/// <summary>
/// What-if answers for re-placing single jobs under the plan in force, by the cost model of ARCHITECTURE.md (the same
/// <see cref="PlacementState"/> the placement engine improves): each job's cross-datacenter bytes per day where it
/// runs, and for every other datacenter the change in the plan's total cost if only that job moved there (replicas
/// follow the replica rule, primaries stay), and whether the move keeps that datacenter within its share. Built once
/// per plan version from the plan's lineage window.
/// </summary>
internal sealed class MoveEstimates
{
    public const string Model =
        "DataManager cost model: reads cross unless the datacenter holds the dataset (primary or replica), writes cross unless it is the primary, replicas cost their daily bytes; balance within (1 + eps) x share";

    private static readonly ConditionalWeakTable<PlanIndex, MoveEstimates> Cache = [];
    private readonly PlacementProblem _problem;
    private readonly PlacementState _state;
    private readonly Dictionary<JobRef, int> _jobIndex = [];
    private readonly Dictionary<string, List<int>> _byName = new(StringComparer.Ordinal);

    private MoveEstimates(PlanIndex index, DataManagerOptions options)
    {
        var lineage = index.Lineage;
        _problem = options.Problem(lineage);
        var datacenters = _problem.Datacenters;
        var placed = new int[_problem.JobCount];
        for (var j = 0; j < lineage.Jobs.Length; j++)
        {
            var job = lineage.Jobs[j];
            _jobIndex[job] = j;
            if (!_byName.TryGetValue(job.Name, out var same))
            {
                _byName[job.Name] = same = [];
            }

            same.Add(j);
            placed[j] = index.Jobs.TryGetValue(job, out var dc) && Array.IndexOf(datacenters, dc) is var d and >= 0 ? d : 0;
        }

        for (var x = 0; x < lineage.Datasets.Length; x++)
        {
            // the plan's primaries, as the plan in force has them (a refresh pins them too)
            if (index.Datasets.TryGetValue(lineage.Datasets[x], out var planned) && Array.IndexOf(datacenters, planned.Primary) is var p and >= 0)
            {
                _problem.PinnedPrimary[x] = p;
            }
        }

        _state = new PlacementState(_problem, placed);
        PlanVersion = index.Plan.Version;
    }

    public long PlanVersion { get; }

    public static MoveEstimates For(PlanIndex index, DataManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(index);
        return Cache.GetValue(index, i => new MoveEstimates(i, options));
    }

    /// <summary>
    /// A job named <c>namespace/name</c>, or by its name alone when one job in the lineage has it; null when unknown
    /// or ambiguous. Priced from <paramref name="runsIn"/> when given (where the job was seen running, which may not
    /// be where the plan puts it), else from the plan's datacenter.
    /// </summary>
    public JobMoveEstimate? Estimate(string job, string? runsIn = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(job);
        if (!TryFind(job, out var j))
        {
            return null;
        }

        lock (_state)
        {
            var planned = _state.JobDatacenter[j];
            var from = runsIn is not null && Array.IndexOf(_problem.Datacenters, runsIn) is var observed and >= 0 ? observed : planned;

            // priced with the job where it runs; the cached state is left bit for bit as it was (PlacementState.WhatIf)
            return _state.WhatIf(j, from, () =>
            {
                var moves = new List<DatacenterMove>(_problem.DatacenterCount - 1);
                for (var d = 0; d < _problem.DatacenterCount; d++)
                {
                    if (d != from)
                    {
                        moves.Add(new DatacenterMove(_problem.Datacenters[d], Math.Round(_state.MoveDelta(j, d)), _state.Fits(j, d)));
                    }
                }

                var reference = _problem.Lineage.Jobs[j];
                return new JobMoveEstimate(
                    job, reference.Namespace, reference.Name, _problem.Datacenters[from], _problem.Datacenters[planned], Math.Round(CrossBytesPerDay(j)),
                    [.. moves.OrderBy(m => m.DeltaBytesPerDay)]);
            });
        }
    }

    /// <summary>The cost of the plan in force under the cost model (what every estimate is a change of).</summary>
    public PlacementCost PlanCost()
    {
        lock (_state)
        {
            return _state.Cost();
        }
    }

    private bool TryFind(string job, out int index)
    {
        // "namespace/name" where either may hold '/' (spark://cluster/etl.daily): try each split
        for (var slash = job.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = job.IndexOf('/', slash + 1))
        {
            if (_jobIndex.TryGetValue(new JobRef(job[..slash], job[(slash + 1)..]), out index))
            {
                return true;
            }
        }

        if (_byName.TryGetValue(job, out var same) && same.Count == 1)
        {
            index = same[0];
            return true;
        }

        index = -1;
        return false;
    }

    /// <summary>The job's own cross-datacenter bytes a day: reads its datacenter does not hold, writes to a primary elsewhere.</summary>
    private double CrossBytesPerDay(int job)
    {
        var p = _problem;
        var d = _state.JobDatacenter[job];
        double bytes = 0;
        for (var e = p.JobReadStart[job]; e < p.JobReadStart[job + 1]; e++)
        {
            var x = p.JobReadDataset[e];
            if (_state.Primary[x] != d && !_state.HasReplica(x, d))
            {
                bytes += p.JobReadBytes[e];
            }
        }

        for (var e = p.JobWriteStart[job]; e < p.JobWriteStart[job + 1]; e++)
        {
            if (_state.Primary[p.JobWriteDataset[e]] != d)
            {
                bytes += p.JobWriteBytes[e];
            }
        }

        return bytes;
    }
}

/// <summary>
/// A job where it runs (<paramref name="Datacenter"/>: where it was seen, else the plan's), where the plan puts it, its
/// cross-datacenter bytes a day there, and what moving it alone would change, per datacenter (negative: cheaper).
/// </summary>
internal sealed record JobMoveEstimate(
    string Job, string Namespace, string Name, string Datacenter, string PlannedDatacenter, double CrossBytesPerDay, IReadOnlyList<DatacenterMove> Moves);

internal sealed record DatacenterMove(string Datacenter, double DeltaBytesPerDay, bool Fits);

/// <summary>The answer of <c>POST /api/v1/placement/moves</c>.</summary>
internal sealed record MoveEstimatesAnswer(long PlanVersion, string Model, IReadOnlyList<JobMoveEstimate> Jobs, IReadOnlyList<string> Unknown);

/// <summary>
/// The body of <c>POST /api/v1/placement/moves</c>: jobs as <c>namespace/name</c> (or a name unique in the lineage), and
/// optionally where each was seen running (<c>runsIn</c>: job → datacenter), to price moves from there.
/// </summary>
internal sealed record MoveEstimatesRequest(IReadOnlyList<string>? Jobs, IReadOnlyDictionary<string, string>? RunsIn);
