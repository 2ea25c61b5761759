using Quartz;

namespace Unitization.DataManager.Service;

/// <summary>The Quartz job that refreshes the plan on <c>DataManager:RefreshCron</c>.</summary>
[DisallowConcurrentExecution]
internal sealed class RefreshPlanJob(PlanService plans) : IJob
{
    public static readonly JobKey Key = new("datamanager-refresh-plan", "datamanager");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await plans.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new JobExecutionException(ex);
        }
    }
}
