namespace Unitization.Throttle.Tests.Client;

/// <summary>Sends each request to the handler of its host (several throttle instances behind one HttpClient).</summary>
internal sealed class RoutingHandler(IReadOnlyDictionary<string, HttpMessageHandler> byHost) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var invoker = new HttpMessageInvoker(byHost[request.RequestUri!.Host], disposeHandler: false);
        return await invoker.SendAsync(request, cancellationToken);
    }
}
