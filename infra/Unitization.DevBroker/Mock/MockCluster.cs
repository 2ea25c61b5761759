using System.Runtime.InteropServices;
using System.Text;

namespace Unitization.DevBroker.Mock;

/// <summary>
/// librdkafka's built-in mock cluster: N brokers speaking the real Kafka protocol on loopback ports chosen at start.
/// Topics are created through the mock's own API (it does not implement CreateTopics); brokers can be taken down and
/// brought back, and partition leaders moved, for fault tests.
/// </summary>
public sealed class MockCluster : IDisposable
{
    private const int ProducerType = 0;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _topics = new(StringComparer.Ordinal);
    private readonly HashSet<int> _down = [];
    private IntPtr _handle;
    private IntPtr _cluster;

    public MockCluster(int brokerCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        LibRdKafka.EnsureLoaded();
        var errors = new byte[512];
        var conf = LibRdKafka.ConfNew();
        if (LibRdKafka.ConfSet(conf, "log_level", "3", errors, (nuint)errors.Length) != 0)
        {
            LibRdKafka.ConfDestroy(conf);
            throw new InvalidOperationException("librdkafka refused log_level: " + Text(errors));
        }

        _handle = LibRdKafka.New(ProducerType, conf, errors, (nuint)errors.Length);
        if (_handle == IntPtr.Zero)
        {
            LibRdKafka.ConfDestroy(conf);
            throw new InvalidOperationException("librdkafka could not create a handle: " + Text(errors));
        }

        _cluster = LibRdKafka.MockClusterNew(_handle, brokerCount);
        if (_cluster == IntPtr.Zero)
        {
            LibRdKafka.Destroy(_handle);
            throw new InvalidOperationException("librdkafka could not create the mock cluster.");
        }

        BrokerCount = brokerCount;
        Bootstrap = Marshal.PtrToStringUTF8(LibRdKafka.MockClusterBootstraps(_cluster))
            ?? throw new InvalidOperationException("The mock cluster has no bootstrap address.");
    }

    /// <summary>Broker ids run 1..BrokerCount.</summary>
    public int BrokerCount { get; }

    /// <summary><c>127.0.0.1:port,...</c>: new ports every start.</summary>
    public string Bootstrap { get; }

    public static string LibraryVersion => LibRdKafka.Version();

    public IReadOnlyDictionary<string, int> Topics
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_topics, StringComparer.Ordinal);
            }
        }
    }

    public IReadOnlyCollection<int> DownBrokers
    {
        get
        {
            lock (_gate)
            {
                return [.. _down.Order()];
            }
        }
    }

    public void CreateTopic(string name, int partitions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        lock (_gate)
        {
            if (_topics.TryGetValue(name, out var existing))
            {
                if (existing != partitions)
                {
                    throw new InvalidOperationException($"Topic '{name}' exists with {existing} partitions, not {partitions}.");
                }

                return;
            }

            Check(LibRdKafka.MockTopicCreate(Cluster, name, partitions, Math.Min(3, BrokerCount)), $"create topic '{name}'");
            _topics[name] = partitions;
        }
    }

    /// <summary>Disconnects a broker and refuses new connections (-1: all). Leadership does not move.</summary>
    public void SetBrokerDown(int brokerId)
    {
        CheckBroker(brokerId);
        lock (_gate)
        {
            Check(LibRdKafka.MockBrokerSetDown(Cluster, brokerId), $"take broker {brokerId} down");
            foreach (var id in Brokers(brokerId))
            {
                _down.Add(id);
            }
        }
    }

    public void SetBrokerUp(int brokerId)
    {
        CheckBroker(brokerId);
        lock (_gate)
        {
            Check(LibRdKafka.MockBrokerSetUp(Cluster, brokerId), $"bring broker {brokerId} up");
            foreach (var id in Brokers(brokerId))
            {
                _down.Remove(id);
            }
        }
    }

    public void SetBrokerRtt(int brokerId, int rttMs)
    {
        CheckBroker(brokerId);
        ArgumentOutOfRangeException.ThrowIfNegative(rttMs);
        Check(LibRdKafka.MockBrokerSetRtt(Cluster, brokerId, rttMs), $"set broker {brokerId}'s round trip to {rttMs} ms");
    }

    /// <summary>Moves a partition's leadership (-1: leaderless).</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        CheckBroker(brokerId);
        lock (_gate)
        {
            if (!_topics.TryGetValue(topic, out var partitions) || partition < 0 || partition >= partitions)
            {
                throw new ArgumentException($"Topic '{topic}' has no partition {partition}.", nameof(partition));
            }
        }

        Check(LibRdKafka.MockPartitionSetLeader(Cluster, topic, partition, brokerId), $"make broker {brokerId} the leader of {topic}[{partition}]");
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster != IntPtr.Zero)
            {
                LibRdKafka.MockClusterDestroy(_cluster);
                _cluster = IntPtr.Zero;
            }

            if (_handle != IntPtr.Zero)
            {
                LibRdKafka.Destroy(_handle);
                _handle = IntPtr.Zero;
            }
        }
    }

    private IntPtr Cluster => _cluster != IntPtr.Zero ? _cluster : throw new ObjectDisposedException(nameof(MockCluster));

    private static string Text(byte[] buffer) => Encoding.UTF8.GetString(buffer, 0, Math.Max(0, Array.IndexOf(buffer, (byte)0)));

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"librdkafka could not {what}: {LibRdKafka.ErrorName(error)}.");
        }
    }

    private IEnumerable<int> Brokers(int brokerId) => brokerId == -1 ? Enumerable.Range(1, BrokerCount) : [brokerId];

    private void CheckBroker(int brokerId)
    {
        if (brokerId != -1 && (brokerId < 1 || brokerId > BrokerCount))
        {
            throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"Broker ids are 1..{BrokerCount} (or -1 for all).");
        }
    }
}
