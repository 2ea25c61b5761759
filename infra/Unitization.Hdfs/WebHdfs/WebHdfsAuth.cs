namespace Unitization.Hdfs.WebHdfs;

/// <summary>
/// The identity a WebHDFS namespace uses. <see cref="User"/> is the <c>user.name</c> of simple authentication (and the
/// default renewer of fetched tokens); <see cref="DelegationToken"/> is a token's URL-safe string as
/// <c>GETDELEGATIONTOKEN</c> returns it (<c>Token.urlString</c>).
/// </summary>
public sealed record WebHdfsAuth(WebHdfsAuthMode Mode, string? User = null, string? DelegationToken = null, bool FetchDelegationToken = false, string? Renewer = null)
{
    /// <summary>Simple authentication as <paramref name="user"/>.</summary>
    public static WebHdfsAuth Simple(string user) => new(WebHdfsAuthMode.Simple, User: user);

    /// <summary>Every request carries <paramref name="token"/> (<c>delegation=</c>).</summary>
    public static WebHdfsAuth Token(string token) => new(WebHdfsAuthMode.DelegationToken, DelegationToken: token);

    /// <summary>SPNEGO from the ticket cache; with <paramref name="fetchToken"/>, a delegation token fetched over it and renewed.</summary>
    public static WebHdfsAuth Kerberos(bool fetchToken = false, string? renewer = null) => new(WebHdfsAuthMode.Kerberos, FetchDelegationToken: fetchToken, Renewer: renewer);

    /// <summary>Throws <see cref="ArgumentException"/> naming the field when the settings do not fit the mode.</summary>
    public void Validate()
    {
        switch (Mode)
        {
            case WebHdfsAuthMode.Simple when string.IsNullOrWhiteSpace(User):
                throw new ArgumentException("WebHDFS simple authentication needs a user name (Auth.User).", nameof(User));
            case WebHdfsAuthMode.DelegationToken when string.IsNullOrWhiteSpace(DelegationToken):
                throw new ArgumentException("WebHDFS delegation-token authentication needs the token (Auth.DelegationToken, the urlString GETDELEGATIONTOKEN returns).", nameof(DelegationToken));
            case WebHdfsAuthMode.Simple or WebHdfsAuthMode.DelegationToken or WebHdfsAuthMode.Kerberos:
                return;
            default:
                throw new ArgumentException($"Unknown WebHDFS authentication mode {Mode}.", nameof(Mode));
        }
    }
}
