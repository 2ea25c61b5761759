namespace Unitization.Hdfs.WebHdfs;

/// <summary>How a WebHDFS namespace proves who it is to the NameNode (Hadoop's <c>hadoop.security.authentication</c>).</summary>
public enum WebHdfsAuthMode
{
    /// <summary>No security: <c>user.name=</c> on every request (pseudo authentication).</summary>
    Simple,

    /// <summary>A delegation token issued for this client: <c>delegation=</c> on every request, no user name.</summary>
    DelegationToken,

    /// <summary>
    /// Kerberos SPNEGO from the process's ticket cache (<c>kinit</c> or a keytab login): the HTTP handler answers the
    /// NameNode's <c>WWW-Authenticate: Negotiate</c> through GSSAPI. With <see cref="WebHdfsAuth.FetchDelegationToken"/>
    /// the namespace asks the NameNode once for a delegation token (GETDELEGATIONTOKEN, renewed before it expires with
    /// RENEWDELEGATIONTOKEN) and sends that on every request, so DataNodes accept the redirected steps.
    /// </summary>
    Kerberos,
}
