using Unitization.DataManager.Hosting;
using Unitization.DataManager.Lineage;
using Unitization.DataManager.Readiness;

namespace Unitization.DataManager.Service;

/// <summary>
/// Where a job runs and whether its inputs are fresh there. Inputs the plan keeps in the job's datacenter (primary or
/// replica) must be fresh; inputs read across the link are listed but do not block. With a wait, the answer is held
/// until ready or the deadline, re-checking when <see cref="FreshnessSignal"/> fires or every recheck interval.
/// </summary>
internal sealed class JobPlacementQuery(PlanService plans, FreshnessSignal signal, TimeProvider time, IDatasetFreshness? freshness)
{
    public Task<JobPlacementAnswer> AnswerAsync(JobRef job, TimeSpan wait, CancellationToken cancellationToken) => AnswerAsync(job, wait, [], cancellationToken);

    /// <summary>
    /// With <paramref name="partitions"/> (<c>dt=2026-12-05</c>, the partitions the run reads, as HivePartitionSensor
    /// names them): an input partitioned by a partition's key is ready when that partition is written and fresh in the
    /// job's datacenter; an input not partitioned so is ready when it is fresh as a whole.
    /// </summary>
    public async Task<JobPlacementAnswer> AnswerAsync(JobRef job, TimeSpan wait, IReadOnlyList<string> partitions, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            // taken before the check: a notification between the check and the wait still wakes this request
            var change = signal.NextChange;
            var answer = await AnswerOnceAsync(job, partitions, cancellationToken).ConfigureAwait(false);
            var waited = time.GetElapsedTime(started);
            var left = wait - waited;
            if (answer.Ready is not false || left <= TimeSpan.Zero)
            {
                return answer with { WaitedSeconds = Math.Round(waited.TotalSeconds, 3), Partitions = partitions.Count == 0 ? null : partitions };
            }

            var recheck = plans.Options.ReadinessRecheckInterval;
            await FreshnessSignal.WaitAsync(change, left < recheck ? left : recheck, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<JobPlacementAnswer> AnswerOnceAsync(JobRef job, IReadOnlyList<string> partitions, CancellationToken cancellationToken)
    {
        var options = plans.Options;
        var index = await plans.CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (index is null || !index.Jobs.TryGetValue(job, out var datacenter))
        {
            var fallback = options.DefaultDatacenterId;
            var (queue, label) = Tags(options, fallback);
            var why = index is null ? "no plan computed yet" : $"job not in plan version {index.Plan.Version}";
            return new JobPlacementAnswer(job.Namespace, job.Name, false, "default", fallback, queue, label, index?.Plan.Version, null, "unknown", [], [], 0,
                $"{why}: default datacenter policy ({fallback}); inputs unknown, so readiness cannot be checked");
        }

        var (q, l) = Tags(options, datacenter);
        var inputs = index.Inputs.GetValueOrDefault(job) ?? [];
        var local = inputs.Where(x => index.Holds(x, datacenter)).ToList();
        var remote = inputs.Where(x => !index.Holds(x, datacenter)).Select(Name).ToList();
        if (freshness is null)
        {
            return new JobPlacementAnswer(job.Namespace, job.Name, true, "plan", datacenter, q, l, index.Plan.Version, null, "unknown", [], remote, 0,
                "no freshness source: this process has no router role and DataManager:RouterUrls is empty, so readiness is unknown, not confirmed");
        }

        var stale = new List<DatasetName>();
        try
        {
            foreach (var input in local)
            {
                var whole = partitions.Count == 0;
                foreach (var partition in partitions)
                {
                    switch (await freshness.IsPartitionFreshAsync(input.Namespace, input.Name, partition, datacenter, cancellationToken).ConfigureAwait(false))
                    {
                        case false:
                            stale.Add(new DatasetName(input.Namespace, input.Name) { Partition = partition });
                            break;
                        case null:
                            whole = true; // not partitioned by this key
                            break;
                    }
                }

                if (whole && !await freshness.IsFreshAsync(input.Namespace, input.Name, datacenter, cancellationToken).ConfigureAwait(false))
                {
                    stale.Add(Name(input));
                }
            }
        }
        catch (FreshnessUnavailableException ex)
        {
            return new JobPlacementAnswer(job.Namespace, job.Name, true, "plan", datacenter, q, l, index.Plan.Version, null, "unknown", [], remote, 0,
                ex.Message + "; readiness is unknown, not confirmed");
        }

        var ready = stale.Count == 0;
        return new JobPlacementAnswer(job.Namespace, job.Name, true, "plan", datacenter, q, l, index.Plan.Version, ready, ready ? "ready" : "waiting", stale, remote, 0,
            ready ? $"all {local.Count} inputs kept in {datacenter} are fresh" : $"{stale.Count} of {local.Count} inputs kept in {datacenter} are not fresh yet");
    }

    private static DatasetName Name(DatasetRef d) => new(d.Namespace, d.Name);

    private static (string? Queue, string? Label) Tags(DataManagerOptions options, string datacenter)
    {
        var dc = options.Datacenters.FirstOrDefault(d => d.Id == datacenter);
        return (dc?.Queue, dc?.NodeLabel);
    }
}
