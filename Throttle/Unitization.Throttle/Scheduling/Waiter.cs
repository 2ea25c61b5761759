namespace Unitization.Throttle.Scheduling;

/// <summary>One request for bytes, queued in its tenant's flow until the scheduler grants it.</summary>
internal sealed class Waiter
{
    private readonly TaskCompletionSource? _completion;
    private readonly Action<Waiter>? _callback;

    /// <summary>A waiter completed through a task (continuations run asynchronously, never under the scheduler's lock).</summary>
    public Waiter(long bytes)
    {
        Bytes = bytes;
        _completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A waiter completed by a synchronous callback (used by the simulations that drive time by hand).</summary>
    public Waiter(long bytes, Action<Waiter> callback)
    {
        Bytes = bytes;
        _callback = callback;
    }

    public long Bytes { get; }

    public TenantFlow? Flow { get; set; }

    public LinkedListNode<Waiter>? Node { get; set; }

    public CancellationTokenRegistration Registration { get; set; }

    public Task Task => _completion?.Task ?? Task.CompletedTask;

    public void Grant()
    {
        Registration.Dispose();
        if (_completion is not null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _callback!(this);
        }
    }

    public void Cancel(CancellationToken cancellationToken)
    {
        Registration.Dispose();
        _completion?.TrySetCanceled(cancellationToken);
    }
}
