using System.Net.Security;

namespace Unitization.Host.Security;

/// <summary>
/// SPNEGO on the server through .NET's <see cref="NegotiateAuthentication"/> (GSSAPI on Linux), the service's key from
/// the keytab in <c>KRB5_KTNAME</c>. Kerberos completes in one round, so each request gets its own context.
/// </summary>
internal static class KerberosAuthenticator
{
    /// <summary>The outcome of one <c>Authorization: Negotiate</c> header: the client principal, or why not.</summary>
    public static KerberosResult Accept(string base64Token)
    {
        using var context = new NegotiateAuthentication(new NegotiateAuthenticationServerOptions { Package = "Negotiate" });
        string? outgoing;
        NegotiateAuthenticationStatusCode status;
        try
        {
            outgoing = context.GetOutgoingBlob(base64Token, out status);
        }
        catch (FormatException)
        {
            return new KerberosResult(null, null, "the Negotiate token is not base64");
        }

        if (status == NegotiateAuthenticationStatusCode.Completed && context.IsAuthenticated)
        {
            return new KerberosResult(context.RemoteIdentity.Name, outgoing, null);
        }

        return status == NegotiateAuthenticationStatusCode.ContinueNeeded
            ? new KerberosResult(null, null, "the Negotiate exchange needs more rounds (NTLM?); only Kerberos is accepted")
            : new KerberosResult(null, null, $"Kerberos refused the token ({status})");
    }
}
