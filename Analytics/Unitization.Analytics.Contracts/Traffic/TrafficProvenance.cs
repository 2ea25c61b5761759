using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace Unitization.Analytics.Traffic;

/// <summary>
/// Who produced a traffic message, proven: every message on the traffic topic carries the producer's name
/// (<see cref="ProducerHeader"/>) and an HMAC-SHA256 of that name and the message value under the producer's key
/// (<see cref="SignatureHeader"/>). The ingest stores a message only when the producer is one it has a key for and the
/// signature matches; anything else (a record typed into the topic by anyone who can reach the broker) is dead-lettered.
/// Keys: <c>Analytics:Provenance:Keys:NAME</c> (base64, at least 16 bytes; each producer process needs its own, the
/// ingest all of them), the name this process signs as: <c>Analytics:Provenance:Producer</c>. Without keys configured
/// every process on the machine shares one random key kept in <c>{DataFolder}/traffic-provenance.key</c> (mode 0600).
/// </summary>
public sealed class TrafficProvenance
{
    public const string ProducerHeader = "unitization-producer";
    public const string SignatureHeader = "unitization-signature";

    public const string DefaultProducer = "unitization";
    public const string KeyFileName = "traffic-provenance.key";

    private readonly Dictionary<string, byte[]> _keys;

    public TrafficProvenance(string producer, IReadOnlyDictionary<string, byte[]> keys, bool required = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(producer);
        ArgumentNullException.ThrowIfNull(keys);
        Producer = producer;
        _keys = new Dictionary<string, byte[]>(keys, StringComparer.Ordinal);
        Required = required;
    }

    /// <summary>The name this process signs as.</summary>
    public string Producer { get; }

    /// <summary>Refuse unsigned messages (<c>Analytics:Provenance:Required</c>, default true).</summary>
    public bool Required { get; }

    /// <summary>The producers whose messages are accepted.</summary>
    public IReadOnlyCollection<string> TrustedProducers => _keys.Keys;

    /// <summary>Reads <c>Analytics:Provenance</c>; a key that is not base64 of at least 16 bytes fails naming the key (never its value).</summary>
    public static TrafficProvenance FromConfiguration(IConfiguration configuration, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Analytics:Provenance");
        var producer = section["Producer"] is { Length: > 0 } name ? name : DefaultProducer;
        var required = !bool.TryParse(section["Required"], out var r) || r;
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in section.GetSection("Keys").GetChildren())
        {
            keys[key.Key] = Decode(key.Value, $"Analytics:Provenance:Keys:{key.Key}");
        }

        if (keys.Count == 0)
        {
            keys[producer] = LocalKey(Path.Combine(dataFolder, KeyFileName));
        }

        return new TrafficProvenance(producer, keys, required);
    }

    /// <summary>The headers that prove this process produced <paramref name="value"/>.</summary>
    public Headers Sign(ReadOnlySpan<byte> value)
    {
        if (!_keys.TryGetValue(Producer, out var key))
        {
            throw new InvalidOperationException($"Analytics:Provenance:Keys holds no key for this process's producer '{Producer}'");
        }

        return Sign(Producer, key, value);
    }

    /// <summary>Signs as <paramref name="producer"/> with its key (a producer outside the service uses this too).</summary>
    public static Headers Sign(string producer, byte[] key, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(producer);
        return new Headers
        {
            { ProducerHeader, Encoding.UTF8.GetBytes(producer) },
            { SignatureHeader, Mac(key, producer, value) },
        };
    }

    /// <summary>Whether a message comes from a trusted producer; the reason when not (no secret in it).</summary>
    public bool Verify(Headers? headers, ReadOnlySpan<byte> value, out string? producer, out string? reason)
    {
        producer = null;
        reason = null;
        if (headers is null || !headers.TryGetLastBytes(ProducerHeader, out var producerBytes) || !headers.TryGetLastBytes(SignatureHeader, out var signature))
        {
            if (!Required)
            {
                return true;
            }

            reason = $"unsigned: no {ProducerHeader}/{SignatureHeader} headers (traffic records are accepted only from authenticated producers)";
            return false;
        }

        producer = Encoding.UTF8.GetString(producerBytes);
        if (!_keys.TryGetValue(producer, out var key))
        {
            reason = $"producer '{producer}' is not trusted (no Analytics:Provenance:Keys:{producer})";
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(Mac(key, producer, value), signature))
        {
            reason = $"the signature of producer '{producer}' does not match the message (altered, or signed with another key)";
            return false;
        }

        return true;
    }

    private static byte[] Mac(byte[] key, string producer, ReadOnlySpan<byte> value)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(producer));
        hmac.AppendData([0x0A]);
        hmac.AppendData(value);
        return hmac.GetHashAndReset();
    }

    private static byte[] Decode(string? text, string field)
    {
        try
        {
            var key = Convert.FromBase64String(text ?? string.Empty);
            return key.Length >= 16 ? key : throw new InvalidOperationException($"{field}: the key is {key.Length} bytes; at least 16 are needed");
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{field}: the key is not base64");
        }
    }

    /// <summary>The machine's shared key: read, or made (32 random bytes, readable by the owner only) by the first process.</summary>
    private static byte[] LocalKey(string path)
    {
        if (File.Exists(path))
        {
            return Decode(File.ReadAllText(path).Trim(), path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var key = RandomNumberGenerator.GetBytes(32);
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
        }

        try
        {
            File.Move(temporary, path, overwrite: false); // whole or not at all: the first process's key wins
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return Decode(File.ReadAllText(path).Trim(), path);
        }
    }
}
