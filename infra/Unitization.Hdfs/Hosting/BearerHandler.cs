using System.Net.Http.Headers;

namespace Unitization.Hdfs.Hosting;

/// <summary>Adds <c>Authorization: Bearer TOKEN</c> to every request (the project's gateway standing in for a NameNode).</summary>
internal sealed class BearerHandler(string token, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return base.SendAsync(request, cancellationToken);
    }
}
