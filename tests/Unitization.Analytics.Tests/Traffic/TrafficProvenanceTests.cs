using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Unitization.Analytics.Traffic;
using Unitization.TestUtils;

namespace Unitization.Analytics.Tests.Traffic;

public sealed class TrafficProvenanceTests
{
    private static readonly byte[] RouterKey = Encoding.ASCII.GetBytes("router-key-0123456789");
    private static readonly byte[] Value = Encoding.UTF8.GetBytes("{\"job\":\"etl\"}\n");

    private static TrafficProvenance Ingest(bool required = true) => new("analytics", new Dictionary<string, byte[]> { ["router"] = RouterKey }, required);

    [Fact]
    public void Verify_SignedByATrustedProducer_AcceptedWithItsName()
    {
        var router = new TrafficProvenance("router", new Dictionary<string, byte[]> { ["router"] = RouterKey });

        Assert.True(Ingest().Verify(router.Sign(Value), Value, out var producer, out var reason), reason);
        Assert.Equal("router", producer);
    }

    [Fact]
    public void Verify_Unsigned_RefusedUnlessNotRequired()
    {
        Assert.False(Ingest().Verify(null, Value, out _, out var reason));
        Assert.StartsWith("unsigned", reason, StringComparison.Ordinal);
        Assert.True(Ingest(required: false).Verify([], Value, out _, out _));
    }

    [Fact]
    public void Verify_ValueAltered_Refused()
    {
        var headers = TrafficProvenance.Sign("router", RouterKey, Value);

        Assert.False(Ingest().Verify(headers, Encoding.UTF8.GetBytes("{\"job\":\"finance.ledger_close\"}\n"), out _, out var reason));
        Assert.Contains("does not match", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ProducerNameSwappedOrUnknown_Refused()
    {
        // a producer that holds no trusted key cannot pass as one that does, nor as a name the ingest does not know
        var mallory = TrafficProvenance.Sign("mallory", RouterKey, Value);
        Assert.False(Ingest().Verify(mallory, Value, out _, out var unknown));
        Assert.Contains("'mallory' is not trusted", unknown, StringComparison.Ordinal);

        var forged = new Headers { { TrafficProvenance.ProducerHeader, Encoding.UTF8.GetBytes("router") }, { TrafficProvenance.SignatureHeader, new byte[32] } };
        Assert.False(Ingest().Verify(forged, Value, out _, out var mismatch));
        Assert.Contains("does not match", mismatch, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_NoKeys_OneSharedKeyFileOwnerOnly()
    {
        using var temp = new TempDirectory("provenance");
        var configuration = new ConfigurationBuilder().Build();

        var first = TrafficProvenance.FromConfiguration(configuration, temp.Path);
        var second = TrafficProvenance.FromConfiguration(configuration, temp.Path);

        Assert.True(second.Verify(first.Sign(Value), Value, out _, out var reason), reason);
        var file = Path.Combine(temp.Path, TrafficProvenance.KeyFileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void FromConfiguration_KeyNotBase64_ErrorNamesTheKeyNotTheValue()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Analytics:Provenance:Keys:router"] = "not base64 secret!" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => TrafficProvenance.FromConfiguration(configuration, "/nonexistent"));

        Assert.Contains("Analytics:Provenance:Keys:router", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
