using System.IO.Hashing;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Unitization.Benchmarks.Replication;

/// <summary>
/// The CPU a replica copy spends verifying one 8 MB file, without the disk: at first, SHA-256 twice over the same buffer
/// (the copier over what it read, the local namespace over what it stored); then the namespace's SHA-256 with the
/// copier's XXH128 of the source bytes and of the staged file read back (the read-back's copy out of the page cache
/// stands in as a memory copy); now the namespace hashes XXH128 too.
/// <c>dotnet run -c Release --project tests/Unitization.Benchmarks -- --filter '*CopyVerification*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class CopyVerificationBenchmarks
{
    private byte[] _source = [];
    private byte[] _readBack = [];

    [GlobalSetup]
    public void Setup()
    {
        _source = new byte[8_000_000];
        _readBack = new byte[_source.Length];
        new Random(42).NextBytes(_source);
    }

    [Benchmark(Baseline = true, Description = "before: SHA-256 x2")]
    public bool ShaTwice() =>
        SHA256.HashData(_source).AsSpan().SequenceEqual(SHA256.HashData(_source));

    [Benchmark(Description = "then: SHA-256 (namespace) + XXH128 source + read-back XXH128")]
    public bool ShaOnceAndReadBack()
    {
        _ = SHA256.HashData(_source);
        return ReadBackMatches();
    }

    [Benchmark(Description = "now: XXH128 (namespace) + XXH128 source + read-back XXH128")]
    public bool XxhOnlyAndReadBack()
    {
        _ = XxHash128.HashToUInt128(_source);
        return ReadBackMatches();
    }

    private bool ReadBackMatches()
    {
        var read = XxHash128.HashToUInt128(_source);
        _source.AsSpan().CopyTo(_readBack);
        return XxHash128.HashToUInt128(_readBack) == read;
    }
}
