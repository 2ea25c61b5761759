using BenchmarkDotNet.Attributes;
using Unitization.Namespaces.Local;

namespace Unitization.Benchmarks.Namespaces;

/// <summary>
/// What the edit log costs a create: <see cref="LocalNamespace.CreateAsync"/> (temp file + fsync, logged edit + fsync,
/// rename, directory fsync) against the same careful atomic write without a log (temp file + fsync + rename).
/// <c>dotnet run -c Release --project tests/Unitization.Benchmarks -- --filter '*LocalNamespaceCreate*' --job short --inProcess</c>
/// </summary>
[MemoryDiagnoser]
public class LocalNamespaceCreateBenchmark
{
    private string _root = string.Empty;
    private LocalNamespace _namespace = null!;
    private byte[] _data = [];
    private long _next;

    [Params(4 * 1024, 1024 * 1024)]
    public int FileBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("unitization-bench-ns-").FullName;
        Directory.CreateDirectory(Path.Join(_root, "plain", "files", "t"));
        Directory.CreateDirectory(Path.Join(_root, "plain", "tmp"));
        _namespace = new LocalNamespace("bench", Path.Join(_root, "ns"), TimeProvider.System);
        _data = new byte[FileBytes];
        new Random(42).NextBytes(_data);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _namespace.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "temp + fsync + rename, no log")]
    public void AtomicWriteWithoutLog()
    {
        var n = Interlocked.Increment(ref _next);
        var temp = Path.Join(_root, "plain", "tmp", n + ".part");
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            file.Write(_data);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, Path.Join(_root, "plain", "files", "t", "f" + n));
    }

    [Benchmark(Description = "LocalNamespace.CreateAsync (logged, fsynced)")]
    public Task LocalNamespaceCreate()
    {
        var n = Interlocked.Increment(ref _next);
        return _namespace.CreateAsync("/t/f" + n, (s, ct) => s.WriteAsync(_data, ct).AsTask(), overwrite: false, CancellationToken.None);
    }
}
