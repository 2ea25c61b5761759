using Microsoft.Extensions.Time.Testing;

namespace Unitization.TestUtils;

/// <summary>Moves fake time in small steps, with an async hop between steps, until a task is done.</summary>
public static class FakeTimeDriver
{
    /// <summary>Returns the fake time it took.</summary>
    public static async Task<TimeSpan> DriveAsync(this FakeTimeProvider time, Task task, TimeSpan step)
    {
        var start = time.GetUtcNow();
        for (var i = 0; i < 100_000 && !task.IsCompleted; i++)
        {
            await Task.Yield();
            if (!task.IsCompleted)
            {
                time.Advance(step);
            }
        }

        await task;
        return time.GetUtcNow() - start;
    }
}
