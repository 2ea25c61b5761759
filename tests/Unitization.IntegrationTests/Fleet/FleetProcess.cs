using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Unitization.IntegrationTests.Processes;
using Unitization.TestUtils.Security;

namespace Unitization.IntegrationTests.Fleet;

/// <summary>
/// One <c>unitization serve --roles ROLE</c> OS process of a fleet on a port of its own, kept across restarts (the other
/// processes are configured with its URL): started, killed with SIGKILL, started again; the output of every run kept.
/// </summary>
internal sealed class FleetProcess : IDisposable
{
    private readonly IReadOnlyList<string> _arguments;
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly List<CollectedProcess> _earlier = [];
    private volatile CollectedProcess? _current;

    public FleetProcess(string name, string role, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        Name = name;
        Role = role;
        Url = new Uri($"http://127.0.0.1:{FreePort()}");
        _arguments = [.. arguments, "--roles", role, "--urls", Url.ToString().TrimEnd('/')];
        _environment = environment;
        Http = new TestHttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
    }

    public string Name { get; }

    public string Role { get; }

    public Uri Url { get; }

    /// <summary>Calls this process with the tests' admin token (5 s per request: a killed process does not hold a reader up).</summary>
    public HttpClient Http { get; }

    public int Starts { get; private set; }

    public bool Running => _current is { Process.HasExited: false };

    /// <summary>Every run's output, the current one last (for failure messages).</summary>
    public string Output => string.Join("\n--- restarted ---\n", _earlier.Append(_current).Select(p => p?.Output ?? string.Empty));

    public void Start()
    {
        if (_current is not null)
        {
            _earlier.Add(_current); // disposed with this: a reader may still be asking whether it runs
        }

        _current = CollectedProcess.StartUnitization(_arguments, _environment);
        Starts++;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill() => _current?.Kill();

    /// <summary>Whether <c>/healthz</c> answers 200 with status Healthy now.</summary>
    public async Task<bool> HealthyAsync(CancellationToken cancellationToken) => await StatusAsync(cancellationToken) == "Healthy";

    /// <summary><c>/healthz</c>'s status now (Healthy, Degraded, Unhealthy), or why there is none.</summary>
    public async Task<string> StatusAsync(CancellationToken cancellationToken)
    {
        if (!Running)
        {
            return "not running";
        }

        try
        {
            using var response = await Http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var body = JsonDocument.Parse(text);
            var status = body.RootElement.GetProperty("status").GetString();
            return response.StatusCode == HttpStatusCode.OK && status == "Healthy" ? status : $"{(int)response.StatusCode} {text}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return e.GetType().Name;
        }
    }

    /// <summary>The last lines of the output (failure messages stay readable).</summary>
    public string Tail(int lines = 40)
    {
        var all = Output.Split('\n');
        return $"[{Name}] " + string.Join("\n", all.Skip(Math.Max(0, all.Length - lines)));
    }

    public void Dispose()
    {
        foreach (var process in _earlier.Append(_current))
        {
            process?.Dispose();
        }

        Http.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
