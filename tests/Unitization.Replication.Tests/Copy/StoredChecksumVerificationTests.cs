using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Unitization.Replication.Copy;
using Unitization.Replication.Tests.Fakes;
using Unitization.TestUtils.Namespaces;
using Unitization.TestUtils.Replication;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Tests.Copy;

/// <summary>Copies between two namespaces that keep HDFS checksums are verified by them (as DistCp does), not read back, where the algorithms agree.</summary>
public sealed class StoredChecksumVerificationTests
{
    private const string Partition = "/warehouse/sales.db/orders/dt=2026-11-23";
    private readonly InMemoryNamespace _a = new("dcA");
    private readonly InMemoryNamespace _b = new("dcB");
    private readonly ReplicaCopier _copier = new(new InMemoryReplicaVersionStore(), null, null, new FakeTimeProvider(), NullLogger<ReplicaCopier>.Instance);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CopyRequest Request(StoredChecksumNamespace source, StoredChecksumNamespace target) =>
        new(source, target, Partition, "sales.orders", TrafficPriority.High, "/.unitization/staging/w0");

    [Fact]
    public async Task ReplicateAsync_SameHdfsAlgorithm_ComparedNotReadBack()
    {
        await _a.WriteAsync(Partition + "/part-0", 3000, 1, Ct);
        var source = new StoredChecksumNamespace(_a, "MD5-of-0MD5-of-512CRC32C");
        var target = new StoredChecksumNamespace(_b, "MD5-of-0MD5-of-512CRC32C");

        Assert.Equal(CopyResult.Copied, (await _copier.ReplicateAsync(Request(source, target), 1, Ct)).Result);

        Assert.Equal(0, target.Reads);
        Assert.Equal(_a.Read(Partition + "/part-0"), _b.Read(Partition + "/part-0"));
    }

    [Fact]
    public async Task ReplicateAsync_HdfsChecksumsDiffer_VerificationFailsNothingPublished()
    {
        await _a.WriteAsync(Partition + "/part-0", 3000, 1, Ct);
        _b.CorruptStoredBytes = true;
        var error = await Assert.ThrowsAsync<CopyVerificationException>(() => _copier.ReplicateAsync(
            Request(new StoredChecksumNamespace(_a, "COMPOSITE-CRC32C"), new StoredChecksumNamespace(_b, "COMPOSITE-CRC32C")), 1, Ct));
        Assert.Contains("has file checksum COMPOSITE-CRC32C", error.Message, StringComparison.Ordinal);
        Assert.Null(await _b.GetStatusAsync(Partition, Ct));
    }

    [Fact]
    public async Task ReplicateAsync_DifferentBlockSizes_ReadBackInstead()
    {
        await _a.WriteAsync(Partition + "/part-0", 3000, 1, Ct);
        var target = new StoredChecksumNamespace(_b, "MD5-of-262144MD5-of-512CRC32C");

        await _copier.ReplicateAsync(Request(new StoredChecksumNamespace(_a, "MD5-of-131072MD5-of-512CRC32C"), target), 1, Ct);

        Assert.Equal(1, target.Reads);
    }
}
