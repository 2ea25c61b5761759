using Quartz;

namespace Unitization.Replication.Lifecycle;

/// <summary>The Quartz job that sweeps the replicas every <c>Replication:LifecycleInterval</c>.</summary>
[DisallowConcurrentExecution]
internal sealed class ReplicaLifecycleJob(ReplicaLifecycle lifecycle) : IJob
{
    public static readonly JobKey Key = new("replication-lifecycle", "replication");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await lifecycle.SweepAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new JobExecutionException(ex);
        }
    }
}
