using System.Net.Http.Json;
using Unitization.IntegrationTests.Processes;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Kafka;

/// <summary>
/// The running dev Kafka broker: its bootstrap servers (<c>UNITIZATION_TEST_KAFKA</c>) and control API (from
/// <c>UNITIZATION_TEST_BROKER_DIR/control.url</c>), both set by infra/test.sh; the default is the folder infra/test.sh uses.
/// </summary>
internal sealed class DevBroker : IDisposable
{
    private const string HowToStart =
        "infra/devbroker.sh start .run/test/broker --config infra/config/unitization.json && " +
        "export UNITIZATION_TEST_KAFKA=$(cat .run/test/broker/kafka.bootstrap) UNITIZATION_TEST_BROKER_DIR=.run/test/broker";

    private DevBroker(string bootstrap, Uri control)
    {
        Bootstrap = bootstrap;
        Control = new HttpClient { BaseAddress = control, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Bootstrap { get; }

    public HttpClient Control { get; }

    /// <summary>The broker, or a skip (a failure with CI=true) saying how to start it.</summary>
    public static DevBroker Require()
    {
        var directory = RequiredServer.Setting("UNITIZATION_TEST_BROKER_DIR", Path.Join(Repository.Root, ".run", "test", "broker"));
        var bootstrapFile = Path.Join(directory, "kafka.bootstrap");
        var bootstrap = RequiredServer.Setting("UNITIZATION_TEST_KAFKA", File.Exists(bootstrapFile) ? File.ReadAllText(bootstrapFile).Trim() : string.Empty);
        var controlFile = Path.Join(directory, "control.url");
        RequiredServer.Require(bootstrap.Length > 0 && File.Exists(controlFile), $"The dev Kafka broker (UNITIZATION_TEST_KAFKA, control API in {controlFile})", HowToStart);
        return new DevBroker(bootstrap, new Uri(File.ReadAllText(controlFile).Trim().TrimEnd('/') + "/"));
    }

    /// <summary>A fresh topic for one test class.</summary>
    public async Task<string> CreateTopicAsync(string prefix, int partitions, CancellationToken cancellationToken)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}";
        await PostAsync($"topics/{name}?partitions={partitions}", cancellationToken);
        return name;
    }

    public async Task PostAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await Control.PostAsync(path, null, cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    public Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken) => Control.GetFromJsonAsync<T>(path, cancellationToken);

    /// <summary>Runs <c>unitization-devbroker produce</c> as its own OS process and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> ProduceInAnotherProcessAsync(string topic, int count, string prefix, CancellationToken cancellationToken)
    {
        var (exitCode, stdout, stderr) = await DotnetProcess.RunAsync(
            Executable(),
            ["produce", "--bootstrap", Bootstrap, "--topic", topic, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--prefix", prefix],
            cancellationToken);
        return (exitCode, stdout + stderr);
    }

    public void Dispose() => Control.Dispose();

    /// <summary>The built dev broker: same configuration as these tests, else the other one.</summary>
    private static string Executable()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var candidates = new[] { configuration, configuration == "Release" ? "Debug" : "Release" }
            .Select(c => Path.Join(Repository.Root, "infra", "Unitization.DevBroker", "bin", c, "net10.0", "unitization-devbroker.dll"))
            .ToList();
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"The dev broker is not built ({candidates[0]}); run: dotnet build infra/Unitization.DevBroker -c {configuration}");
    }
}
