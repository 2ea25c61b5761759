using System.Net;
using System.Net.Http.Headers;

namespace Unitization.ApiClient;

/// <summary>
/// How a client of the Unitization API authenticates: the token given (<c>--token</c>), else <c>UNITIZATION_TOKEN</c>,
/// sent as <c>Authorization: Bearer</c>; without either, Kerberos SPNEGO (<c>Negotiate</c>) with the credentials of the
/// ticket cache (<c>kinit</c>), which the handler offers when the service answers 401 with <c>WWW-Authenticate: Negotiate</c>.
/// </summary>
public static class ApiCredentials
{
    public const string TokenVariable = "UNITIZATION_TOKEN";

    /// <summary>The token to send: the option's value, else the environment's, else null (Kerberos).</summary>
    public static string? Token(string? option)
    {
        var token = string.IsNullOrWhiteSpace(option) ? Environment.GetEnvironmentVariable(TokenVariable) : option;
        return string.IsNullOrWhiteSpace(token) ? null : token.Trim();
    }

    /// <summary>An HTTP client for <paramref name="baseAddress"/> that authenticates as described above.</summary>
    public static HttpClient CreateClient(Uri baseAddress, string? token, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler { Credentials = CredentialCache.DefaultCredentials, PreAuthenticate = false };
        var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = timeout };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }
}
