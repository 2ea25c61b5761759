using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Unitization.Benchmarks.Bench.Fleet;

/// <summary>
/// <c>unitization serve</c> processes for the fleet benches: the repository's <c>./unitization</c> (built once before
/// any starts, so processes started together never race to rebuild it), optionally pinned with <c>taskset</c>.
/// </summary>
internal static class UnitizationProcesses
{
    public static string RepositoryRoot(string bench)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Join(dir.FullName, "Unitization.sln")) && File.Exists(Path.Join(dir.FullName, "unitization")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"bench {bench} runs from the repository (./unitization bench {bench}): Unitization.sln not found above {AppContext.BaseDirectory}");
    }

    /// <summary>Runs <c>./unitization --version</c> once, which builds the executable when its sources changed.</summary>
    public static async Task EnsureBuiltAsync(string root, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Path.Join(root, "unitization")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--version");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("unitization did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await output.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("./unitization did not build: " + errors);
        }
    }

    /// <summary>Starts <c>./unitization ARGS</c> with extra environment, on <paramref name="cpus"/> (a <c>taskset -c</c> list) when given; its output is discarded unless <paramref name="log"/> is set.</summary>
    public static Process Start(string root, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? cpus = null, TextWriter? log = null)
    {
        var start = new ProcessStartInfo(cpus is null ? Path.Join(root, "unitization") : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // taskset and the script exec dotnet: the process started is the service itself (its CPU time is the service's)
        IEnumerable<string> pin = cpus is null ? [] : ["-c", cpus, Path.Join(root, "unitization")];
        foreach (var argument in pin.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("unitization did not start");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Write(TextWriter? log, string? line)
    {
        if (log is not null && line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    public static async Task StopAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        process.Dispose();
    }

    /// <summary>The process's CPU time (user + system, all threads) in seconds.</summary>
    public static double CpuSeconds(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        process.Refresh();
        return process.TotalProcessorTime.TotalSeconds;
    }

    public static async Task WaitHealthyAsync(string url, Process process, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the process for {url} exited with code {process.ExitCode} before it was healthy");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(url + "/healthz"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"{url} did not answer /healthz within {deadline.TotalSeconds:F0} s");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
