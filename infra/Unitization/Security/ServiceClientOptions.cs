namespace Unitization.Host.Security;

/// <summary>What this process presents to the other roles' APIs.</summary>
public sealed class ServiceClientOptions
{
    /// <summary>An API token (a <c>service</c> role token); else Negotiate from the ticket cache or <c>KRB5_CLIENT_KTNAME</c>.</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>A file holding the token (first line), for tokens kept out of the configuration.</summary>
    public string TokenFile { get; set; } = string.Empty;
}
