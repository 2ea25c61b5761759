using System.Globalization;

namespace Unitization.Replication.Metastore;

/// <summary>Where an HMS listens: <c>thrift://host:port</c> (the form of <c>hive.metastore.uris</c>).</summary>
public sealed record MetastoreEndpoint(string Host, int Port)
{
    public static MetastoreEndpoint Parse(string uri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme != "thrift" || parsed.Port <= 0)
        {
            throw new FormatException($"'{uri}' is not a metastore URI; expected thrift://host:port, e.g. thrift://127.0.0.1:9083.");
        }

        return new MetastoreEndpoint(parsed.Host, parsed.Port);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"thrift://{Host}:{Port}");
}
