using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Unitization.TestUtils;

/// <summary>Moves fake time in small steps, with an async hop between steps, until a task is done.</summary>
public static class FakeTimeDriver
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Returns the fake time it took. Bounded by real time, not by a count of steps: on a loaded machine the work
    /// behind the task can take longer than any fixed number of hops, and a task left waiting on a fake timer that no
    /// one advances never ends. Every 64 hops the driver also gives the thread pool a real millisecond, so fake time
    /// does not race far ahead of work that is merely slow.
    /// </summary>
    public static async Task<TimeSpan> DriveAsync(this FakeTimeProvider time, Task task, TimeSpan step)
    {
        var start = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        for (var i = 1; !task.IsCompleted; i++)
        {
            if (clock.Elapsed > Deadline)
            {
                throw new TimeoutException($"the driven task did not finish within {Deadline} of real time ({time.GetUtcNow() - start} of fake time in steps of {step})");
            }

            if (i % 64 == 0)
            {
                await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System, CancellationToken.None)).ConfigureAwait(false);
            }
            else
            {
                await Task.Yield();
            }

            if (!task.IsCompleted)
            {
                time.Advance(step);
            }
        }

        await task.ConfigureAwait(false);
        return time.GetUtcNow() - start;
    }
}
