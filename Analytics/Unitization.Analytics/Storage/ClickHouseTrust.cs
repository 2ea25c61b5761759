using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Unitization.Analytics.Storage;

/// <summary>Whether a server certificate chains to a configured CA (a private ClickHouse CA), the only error being an untrusted root.</summary>
internal static class ClickHouseTrust
{
    public static bool ChainsTo(X509Certificate certificate, X509Certificate2 authority, SslPolicyErrors errors)
    {
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false; // a name mismatch or no certificate is never forgiven
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
