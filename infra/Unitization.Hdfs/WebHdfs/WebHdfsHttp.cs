using System.Net;

namespace Unitization.Hdfs.WebHdfs;

/// <summary>The HTTP handler a WebHDFS namespace uses when none is given.</summary>
public static class WebHdfsHttp
{
    /// <summary>
    /// A handler that never follows redirects itself (the namespace sends a two-step operation's bytes only to the
    /// DataNode the NameNode names) and, for <see cref="WebHdfsAuthMode.Kerberos"/>, answers the NameNode's
    /// <c>WWW-Authenticate: Negotiate</c> with the process's Kerberos credentials (the ticket cache of <c>kinit</c>
    /// or <c>KRB5CCNAME</c>, through GSSAPI on Linux).
    /// </summary>
    public static SocketsHttpHandler CreateHandler(WebHdfsAuth auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 64,
        };
        if (auth.Mode == WebHdfsAuthMode.Kerberos)
        {
            handler.Credentials = CredentialCache.DefaultCredentials;
            handler.PreAuthenticate = true;
        }

        return handler;
    }
}
