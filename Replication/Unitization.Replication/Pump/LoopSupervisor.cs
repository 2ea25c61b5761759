using Microsoft.Extensions.Logging;

namespace Unitization.Replication.Pump;

/// <summary>
/// Runs a background loop (the pump, a worker) until the host stops: whatever fails the loop as a whole is reported in
/// health (<see cref="ReplicationHealth.FailedLoops"/>) and logged, and the loop starts again after a backoff, so the
/// host never stops because of it. The loop resets the backoff (it is handed to it) once it works again.
/// </summary>
internal static class LoopSupervisor
{
    public static async Task RunAsync(
        string loop, Func<Backoff, CancellationToken, Task> body, ReplicationHealth health, TimeSpan maxBackoff, TimeProvider time, ILogger logger, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(health);
        var restarts = new Backoff(maxBackoff);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await body(restarts, stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a supervisor: it reports and restarts the loop, it never lets the host stop
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var delay = restarts.Next();
                health.LoopFailed(loop, $"{ex.GetType().Name}: {ex.Message}", time.GetUtcNow());
                ReplicationLog.LoopRestarting(logger, ex, loop, delay);
                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
