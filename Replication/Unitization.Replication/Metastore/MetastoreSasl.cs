using Unitization.Replication.Metastore.Sasl;

namespace Unitization.Replication.Metastore;

/// <summary>How to reach a Kerberized HMS: its service principal (<c>_HOST</c> stands for the URI's host) and the SASL protection accepted.</summary>
public sealed record MetastoreSasl(string Principal, string QopName)
{
    /// <summary>The layers accepted: the named one and stronger (the strongest the server offers is taken).</summary>
    internal SaslQop Qop => QopName switch
    {
        "auth-conf" => SaslQop.AuthConf,
        "auth-int" => SaslQop.AuthInt | SaslQop.AuthConf,
        _ => SaslQop.Auth | SaslQop.AuthInt | SaslQop.AuthConf,
    };

    /// <summary>The GSSAPI target: <c>hive/_HOST@REALM</c> → <c>hive/metastore1.example.com@REALM</c>.</summary>
    public string PrincipalFor(string host) => Principal.Replace("_HOST", host, StringComparison.Ordinal);

    public static MetastoreSasl? From(string? principal, string qop) => string.IsNullOrWhiteSpace(principal) ? null : new MetastoreSasl(principal, qop);
}
