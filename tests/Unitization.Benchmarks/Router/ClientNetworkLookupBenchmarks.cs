using System.Net;
using BenchmarkDotNet.Attributes;
using Unitization.Router.Addresses;

namespace Unitization.Benchmarks.Router;

/// <summary>
/// Client IP → datacenter over 100,000 networks (80% IPv4 /24, 20% IPv6 /48, nested under a /8), from text, against
/// the baseline of only parsing the text with <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/>.
/// <c>dotnet run -c Release --project tests/Unitization.Benchmarks -- --filter '*ClientNetworkLookup*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class ClientNetworkLookupBenchmarks
{
    private const int Networks = 100_000;
    private ClientNetworkMap _map = null!;
    private string[] _addresses = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var networks = new Dictionary<string, List<string>> { ["dcA"] = ["10.0.0.0/8"], ["dcB"] = [], ["dcC"] = [] };
        var ipv4 = Networks * 4 / 5;
        for (var i = 0; i < Networks; i++)
        {
            networks[random.Next(2) == 0 ? "dcB" : "dcC"].Add(i < ipv4 ? $"{10 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}.0/24" : $"fd00:{i >> 16:x}:{i & 0xFFFF:x}::/48");
        }

        _map = ClientNetworkMap.Build(networks, "dcA", out _);
        _addresses = Enumerable.Range(0, 4096).Select(_ =>
        {
            var n = random.Next(Networks);
            return n < ipv4 ? $"{10 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}.{random.Next(256)}" : $"fd00:{n >> 16:x}:{n & 0xFFFF:x}::{random.Next(65536):x}";
        }).ToArray();
    }

    [Benchmark(Baseline = true)]
    public bool ParseOnly() => IPAddress.TryParse(_addresses[_next++ & 4095].AsSpan(), out _);

    [Benchmark]
    public string Locate() => _map.Locate(_addresses[_next++ & 4095], out _);
}
