using System.Diagnostics;

namespace Unitization.Benchmarks.Bench.Router;

/// <summary>Runs <c>wrk</c> (Debian's package) against one URL and hands back its report.</summary>
internal static class Wrk
{
    /// <summary>
    /// wrk's output, or null (said on stderr, naming <paramref name="bench"/>) when wrk is missing, failed or saw non-2xx
    /// answers. <paramref name="cpus"/>: a <c>taskset -c</c> list wrk runs on (null: anywhere).
    /// </summary>
    public static async Task<string?> RunAsync(string bench, string url, int threads, int seconds, int connections, CancellationToken cancellationToken, string? cpus = null)
    {
        var start = new ProcessStartInfo(cpus is null ? "wrk" : "taskset") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        IEnumerable<string> pin = cpus is null ? [] : ["-c", cpus, "wrk"];
        foreach (var argument in pin.Concat([$"-t{threads}", $"-c{connections}", $"-d{seconds}s", url]))
        {
            start.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            await Console.Error.WriteLineAsync($"bench {bench}: wrk is not installed; install it with: sudo apt-get install -y wrk").ConfigureAwait(false);
            return null;
        }

        using (process)
        {
            var output = await process!.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0 || output.Contains("Non-2xx", StringComparison.Ordinal))
            {
                await Console.Error.WriteLineAsync($"bench {bench}: wrk against {url} failed or saw errors:{Environment.NewLine}{output}{await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false)}").ConfigureAwait(false);
                return null;
            }

            return output;
        }
    }
}
