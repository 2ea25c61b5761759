using System.IO.Compression;
using System.Text;

namespace Unitization.Replication.Metastore;

/// <summary>
/// The encodings of <c>NotificationEvent.message</c>, named by <c>messageFormat</c>: Hive's JSONMessageEncoder writes
/// the JSON as it is (<c>json-0.2</c>); GzipJSONMessageEncoder, the default of Hive 3 and 4, writes base64 (RFC 4648,
/// with padding) of gzip of the UTF-8 JSON (<c>gzip(json-2.0)</c>). Both carry the same JSON message classes.
/// </summary>
public static class HiveMessageFormat
{
    public const string Json = "json-0.2";

    public const string GzipJson = "gzip(json-2.0)";

    /// <summary>A decoded message larger than this is refused (a gzip bomb must not take the worker's memory).</summary>
    public const int MaxDecodedBytes = 64 * 1024 * 1024;

    /// <summary>The JSON of a message in <paramref name="messageFormat"/>; a format or encoding it cannot read is a <see cref="MalformedEventException"/>.</summary>
    public static string Decode(string? messageFormat, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (messageFormat)
        {
            // an HMS before Hive 2 leaves messageFormat unset, and its messages are plain JSON
            case null or "" or Json:
                return message;
            case GzipJson:
                return Gunzip(message);
            default:
                throw new MalformedEventException(
                    $"messageFormat '{messageFormat}' is not one the replicator reads ('{Json}' from JSONMessageEncoder, '{GzipJson}' from GzipJSONMessageEncoder).");
        }
    }

    /// <summary>The message as <paramref name="messageFormat"/> carries it (what the sample HMS writes).</summary>
    public static string Encode(string messageFormat, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        switch (messageFormat)
        {
            case Json:
                return json;
            case GzipJson:
                using (var buffer = new MemoryStream())
                {
                    using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
                    {
                        gzip.Write(Encoding.UTF8.GetBytes(json));
                    }

                    return Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
                }

            default:
                throw new ArgumentException($"Unknown messageFormat '{messageFormat}'; use '{Json}' or '{GzipJson}'.", nameof(messageFormat));
        }
    }

    private static string Gunzip(string message)
    {
        byte[] compressed;
        try
        {
            compressed = Convert.FromBase64String(message);
        }
        catch (FormatException ex)
        {
            throw new MalformedEventException($"A '{GzipJson}' message is not base64: {ex.Message}", ex);
        }

        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            using var json = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = gzip.Read(chunk)) > 0)
            {
                if (json.Length + read > MaxDecodedBytes)
                {
                    throw new MalformedEventException($"A '{GzipJson}' message decompresses to more than {MaxDecodedBytes} bytes.");
                }

                json.Write(chunk, 0, read);
            }

            return Encoding.UTF8.GetString(json.GetBuffer(), 0, (int)json.Length);
        }
        catch (InvalidDataException ex)
        {
            throw new MalformedEventException($"A '{GzipJson}' message is base64 but not gzip: {ex.Message}", ex);
        }
    }
}
