using BenchmarkDotNet.Attributes;
using Unitization.Namespaces.Local;

namespace Unitization.Benchmarks.Namespaces;

/// <summary>
/// Replacing a published directory in a <see cref="LocalNamespace"/>, the step a replica's new version takes: one
/// logged <see cref="LocalNamespace.ExchangeAsync"/> against the former two logged renames (old aside, staging into
/// place). Each iteration prepares a staging folder first and deletes the old version after, outside the measurement.
/// <c>dotnet run -c Release --project tests/Unitization.Benchmarks -- --filter '*ReplicaReplace*' --job short --inProcess</c>
/// </summary>
[MemoryDiagnoser]
public class ReplicaReplaceBenchmark
{
    private const string Replica = "/warehouse/db/t/dt=1";
    private const string Staging = "/.unitization/staging/w0/next";
    private const string Trash = "/.unitization/staging/w0/trash";
    private string _root = string.Empty;
    private LocalNamespace _namespace = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("unitization-bench-replace-").FullName;
        _namespace = new LocalNamespace("bench", _root, TimeProvider.System);
        WriteFolder(Replica);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _namespace.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [IterationSetup]
    public void PrepareStaging() => WriteFolder(Staging);

    [IterationCleanup]
    public void DropOldVersion()
    {
        _namespace.DeleteAsync(Staging, recursive: true, CancellationToken.None).GetAwaiter().GetResult();
        _namespace.DeleteAsync(Trash, recursive: true, CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "two renames (old aside, staging in)")]
    public async Task TwoRenames()
    {
        await _namespace.RenameAsync(Replica, Trash, CancellationToken.None);
        await _namespace.RenameAsync(Staging, Replica, CancellationToken.None);
    }

    [Benchmark(Description = "one exchange (renameat2)")]
    public Task Exchange() => _namespace.ExchangeAsync(Staging, Replica, CancellationToken.None);

    private void WriteFolder(string folder)
    {
        var data = new byte[4096];
        for (var k = 0; k < 4; k++)
        {
            _namespace.CreateAsync($"{folder}/part-{k}", (s, ct) => s.WriteAsync(data, ct).AsTask(), overwrite: false, CancellationToken.None).GetAwaiter().GetResult();
        }
    }
}
