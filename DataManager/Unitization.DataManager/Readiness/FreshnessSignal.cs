namespace Unitization.DataManager.Readiness;

/// <summary>
/// Wakes requests waiting for readiness when something may have made inputs fresh: a new plan, or a replica version
/// recorded (whoever records one calls <see cref="Notify"/>). Waiters also re-check on an interval of their own.
/// </summary>
public sealed class FreshnessSignal
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// Completes at the first <see cref="Notify"/> after this property was read. Read it <em>before</em> checking
    /// readiness and wait on it after, so a notification that lands between the check and the wait is not lost.
    /// </summary>
    public Task NextChange => Volatile.Read(ref _changed).Task;

    /// <summary>Completes when <paramref name="change"/> (from <see cref="NextChange"/>) does, or after <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(Task change, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(time);
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, stop.Token);
        await Task.WhenAny(change, delay).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
