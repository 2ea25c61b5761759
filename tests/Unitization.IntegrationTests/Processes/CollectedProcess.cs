using System.Diagnostics;
using System.Text;

namespace Unitization.IntegrationTests.Processes;

/// <summary>A child process (<c>dotnet unitization.dll ...</c>) with its standard output and error collected as they come.</summary>
internal sealed class CollectedProcess : IDisposable
{
    private readonly StringBuilder _output = new();

    private CollectedProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the <c>unitization</c> executable built beside the tests with <paramref name="arguments"/>; <paramref name="environment"/>
    /// sets (or, with a null value, removes) variables of the child's environment.
    /// </summary>
    public static CollectedProcess StartUnitization(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "unitization.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new CollectedProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine or the OOM killer stops it.</summary>
    public void Kill()
    {
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Kill();
        }

        Process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
