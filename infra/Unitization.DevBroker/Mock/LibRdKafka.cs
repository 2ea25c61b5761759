using System.Reflection;
using System.Runtime.InteropServices;

namespace Unitization.DevBroker.Mock;

/// <summary>
/// The parts of librdkafka's C API the dev broker needs (<c>rdkafka.h</c>, <c>rdkafka_mock.h</c>), called on the
/// native library that the librdkafka.redist package ships next to Confluent.Kafka.
/// </summary>
internal static partial class LibRdKafka
{
    private const string Library = "librdkafka";

    static LibRdKafka()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibRdKafka).Assembly, Resolve);
    }

    /// <summary>Forces the resolver registration above to run before the first call.</summary>
    public static void EnsureLoaded() => _ = Version();

    public static string ErrorName(int error) => Marshal.PtrToStringUTF8(Err2Str(error)) ?? $"error {error}";

    [LibraryImport(Library, EntryPoint = "rd_kafka_version_str")]
    private static partial IntPtr VersionStr();

    public static string Version() => Marshal.PtrToStringUTF8(VersionStr()) ?? "?";

    [LibraryImport(Library, EntryPoint = "rd_kafka_err2str")]
    private static partial IntPtr Err2Str(int error);

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_new")]
    public static partial IntPtr ConfNew();

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfSet(IntPtr conf, string name, string value, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_destroy")]
    public static partial void ConfDestroy(IntPtr conf);

    /// <summary><c>rd_kafka_new(type, conf, errstr, size)</c>; takes ownership of <paramref name="conf"/> on success.</summary>
    [LibraryImport(Library, EntryPoint = "rd_kafka_new")]
    public static partial IntPtr New(int type, IntPtr conf, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_destroy")]
    public static partial void Destroy(IntPtr rk);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial IntPtr MockClusterNew(IntPtr rk, int brokerCount);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void MockClusterDestroy(IntPtr cluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static partial IntPtr MockClusterBootstraps(IntPtr cluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockTopicCreate(IntPtr cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_down")]
    public static partial int MockBrokerSetDown(IntPtr cluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_up")]
    public static partial int MockBrokerSetUp(IntPtr cluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    public static partial int MockBrokerSetRtt(IntPtr cluster, int brokerId, int rttMs);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_partition_set_leader", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockPartitionSetLeader(IntPtr cluster, string topic, int partition, int brokerId);

    /// <summary>
    /// Finds librdkafka where the redist package puts it: <c>runtimes/&lt;rid&gt;/native/</c> beside the app. On Linux the
    /// default build needs libsasl2.so.3, which Debian does not have; the centos8 build (the one Confluent.Kafka falls
    /// back to as well) has no such dependency.
    /// </summary>
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string[] files = OperatingSystem.IsWindows() ? ["librdkafka.dll"]
            : OperatingSystem.IsMacOS() ? ["librdkafka.dylib"]
            : ["librdkafka.so", "centos8-librdkafka.so"];
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        foreach (var file in files)
        {
            foreach (var candidate in new[] { Path.Join(AppContext.BaseDirectory, "runtimes", $"{os}-{arch}", "native", file), Path.Join(AppContext.BaseDirectory, file) })
            {
                if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
                {
                    return handle;
                }
            }
        }

        return NativeLibrary.TryLoad(name, assembly, searchPath, out var fallback) ? fallback : IntPtr.Zero;
    }
}
