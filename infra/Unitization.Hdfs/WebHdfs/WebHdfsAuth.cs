namespace Unitization.Hdfs.WebHdfs;

/// <summary>
/// The identity a WebHDFS namespace uses. <see cref="User"/> is the <c>user.name</c> of simple authentication (and the
/// default renewer of fetched tokens); <see cref="DelegationToken"/> is a token's URL-safe string as
/// <c>GETDELEGATIONTOKEN</c> returns it (<c>Token.urlString</c>). <see cref="BearerToken"/>, when set, goes with every
/// request as <c>Authorization: Bearer</c>: the API token of a Unitization gateway serving the namespace (a NameNode
/// or DataNode does not read it; never set it for Kerberos, whose Authorization is SPNEGO's).
/// </summary>
public sealed record WebHdfsAuth(WebHdfsAuthMode Mode, string? User = null, string? DelegationToken = null, bool FetchDelegationToken = false, string? Renewer = null)
{
    /// <summary>An <c>Authorization: Bearer</c> token sent with every request (a Unitization gateway's API token).</summary>
    public string? BearerToken { get; init; }

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
            case WebHdfsAuthMode.Kerberos when BearerToken is not null:
                throw new ArgumentException("WebHDFS Kerberos authentication sends SPNEGO in the Authorization header; Auth.BearerToken cannot be used with it.", nameof(BearerToken));
            case WebHdfsAuthMode.Simple or WebHdfsAuthMode.DelegationToken or WebHdfsAuthMode.Kerberos:
                return;
            default:
                throw new ArgumentException($"Unknown WebHDFS authentication mode {Mode}.", nameof(Mode));
        }
    }
}
