namespace Unitization.Namespaces.Configuration;

/// <summary>How an <c>hdfs</c> datacenter's WebHDFS requests authenticate (section <c>Datacenters:N:Auth</c>).</summary>
public sealed class HdfsAuthOptions
{
    /// <summary>
    /// <c>simple</c> (<c>user.name=</c><see cref="User"/>, a cluster without Kerberos), <c>token</c> (a delegation token,
    /// <c>delegation=</c><see cref="DelegationToken"/>) or <c>kerberos</c> (SPNEGO with the process's ticket cache or keytab).
    /// </summary>
    public string Method { get; set; } = "simple";

    /// <summary>For <c>simple</c>: the user name sent as <c>user.name</c>.</summary>
    public string? User { get; set; }

    /// <summary>For <c>token</c>: the delegation token (URL-safe base64, as <c>GETDELEGATIONTOKEN</c> returns it).</summary>
    public string? DelegationToken { get; set; }

    /// <summary>For <c>token</c>: a file holding the delegation token instead (relative to the data folder), read at start.</summary>
    public string? DelegationTokenFile { get; set; }

    /// <summary>For <c>kerberos</c>: fetch a delegation token over SPNEGO once (renewed before it expires) and send that.</summary>
    public bool FetchDelegationToken { get; set; }

    /// <summary>For <c>kerberos</c> with <see cref="FetchDelegationToken"/>: the token's renewer (default: this principal).</summary>
    public string? Renewer { get; set; }

    /// <summary>
    /// Also sent as <c>Authorization: Bearer</c> on every request: for dcB's NameNode stand-in of <c>infra/up.sh --hdfs</c>,
    /// the project's own gateway, which takes its API tokens; a real NameNode has no use for it.
    /// </summary>
    public string? GatewayBearerToken { get; set; }
}
