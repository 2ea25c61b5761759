using System.Diagnostics;

namespace Unitization.TestUtils.Servers;

/// <summary>Waits for a condition against a deadline (never a guessed delay).</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var watch = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (await condition().ConfigureAwait(false))
            {
                return true;
            }

            if (watch.Elapsed > deadline)
            {
                return false;
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 200));
        }
    }
}
