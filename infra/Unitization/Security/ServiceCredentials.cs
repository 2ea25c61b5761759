using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Unitization.Analytics.Hosting;
using Unitization.DataManager.Hosting;
using Unitization.Replication.Hosting;
using Unitization.Throttle.Hosting;

namespace Unitization.Host.Security;

/// <summary>
/// The roles' own calls to each other authenticate: the throttle lease client, the replicator's rules client and the
/// analytics relays send <c>Security:Client:Token</c> as a bearer token, or, without one, Negotiate with the process's
/// Kerberos credentials (the ticket cache, or <c>KRB5_CLIENT_KTNAME</c>'s keytab). Only these named clients: a client
/// that talks to a system outside Unitization (HDFS, ClickHouse) never carries the token.
/// </summary>
internal static class ServiceCredentials
{
    public static IReadOnlyList<string> ClientNames { get; } =
    [
        ThrottleServiceCollectionExtensions.LeaseHttpClientName,
        ReplicationServiceCollectionExtensions.RulesHttpClientName,
        AnalyticsServiceCollectionExtensions.ThrottleHttpClientName,
        AnalyticsServiceCollectionExtensions.DataManagerHttpClientName,
        DataManagerServiceCollectionExtensions.RouterFreshnessHttpClientName,
    ];

    public static IServiceCollection AddServiceCredentials(this IServiceCollection services)
    {
        foreach (var name in ClientNames)
        {
            services.AddHttpClient(name)
                .ConfigurePrimaryHttpMessageHandler((handler, _) => UseDefaultCredentials(handler))
                .AddHttpMessageHandler(sp => new BearerHandler(Token(sp.GetRequiredService<IOptions<SecurityOptions>>().Value.Client)));
        }

        return services;
    }

    /// <summary>The configured service token (<c>Client:Token</c>, else the first line of <c>Client:TokenFile</c>), or null.</summary>
    public static string? Token(ServiceClientOptions client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!string.IsNullOrWhiteSpace(client.Token))
        {
            return client.Token.Trim();
        }

        return string.IsNullOrWhiteSpace(client.TokenFile) ? null : File.ReadLines(client.TokenFile).FirstOrDefault()?.Trim();
    }

    private static void UseDefaultCredentials(HttpMessageHandler handler)
    {
        switch (handler)
        {
            case SocketsHttpHandler sockets:
                sockets.Credentials ??= CredentialCache.DefaultCredentials;
                break;
            case HttpClientHandler client:
                client.UseDefaultCredentials = true;
                break;
        }
    }

    /// <summary>Adds <c>Authorization: Bearer TOKEN</c> to a request that has no Authorization of its own.</summary>
    private sealed class BearerHandler(string? token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (token is not null && request.Headers.Authorization is null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
