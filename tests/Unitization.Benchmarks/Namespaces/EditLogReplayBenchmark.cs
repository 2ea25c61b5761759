using BenchmarkDotNet.Attributes;
using Unitization.Namespaces;
using Unitization.Namespaces.Local;

namespace Unitization.Benchmarks.Namespaces;

/// <summary>
/// Opening a namespace replays its whole log (CRC check, decode, per-path txids); reading every edit back through
/// <see cref="LocalNamespace.EditsSinceAsync"/> is what a follower does. Both against reading the log's bytes.
/// <c>dotnet run -c Release --project tests/Unitization.Benchmarks -- --filter '*EditLogReplay*' --job short --inProcess</c>
/// </summary>
[MemoryDiagnoser]
public class EditLogReplayBenchmark
{
    private const int Edits = 20_000;
    private string _root = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("unitization-bench-replay-").FullName;
        using var ns = new LocalNamespace("bench", _root, TimeProvider.System);
        for (var i = 0; i < Edits; i++)
        {
            ns.MkdirsAsync($"/warehouse/db{i % 10}/t{i % 100}/dt={i}", CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Baseline = true, Description = "read the log file's bytes")]
    public long ReadLogBytes() => File.ReadAllBytes(Path.Join(_root, "edits", "edits.log")).LongLength;

    [Benchmark(Description = "open (replay 20k edits)")]
    public long OpenReplay()
    {
        using var ns = new LocalNamespace("bench", _root, TimeProvider.System);
        return ns.LastTxId.Value;
    }

    [Benchmark(Description = "EditsSinceAsync over 20k edits")]
    public async Task<long> ReadAllEdits()
    {
        using var ns = new LocalNamespace("bench", _root, TimeProvider.System, readOnly: true);
        long last = 0;
        await foreach (var edit in ns.EditsSinceAsync(TxId.None, follow: false, CancellationToken.None))
        {
            last = edit.TxId.Value;
        }

        return last;
    }
}
