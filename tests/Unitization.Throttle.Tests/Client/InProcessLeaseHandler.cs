using System.Net.Http.Json;
using Unitization.Throttle.Leases;

namespace Unitization.Throttle.Tests.Client;

/// <summary>Carries a lease client's requests to a real <see cref="LeaseService"/> in the test, or refuses like a down server.</summary>
internal sealed class InProcessLeaseHandler(LeaseService service) : HttpMessageHandler
{
    private long _granted;
    private int _requests;

    public bool Available { get; set; } = true;

    public int Requests => Volatile.Read(ref _requests);

    public long GrantedBytes => Interlocked.Read(ref _granted);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!Available)
        {
            throw new HttpRequestException("Connection refused (127.0.0.1:1)");
        }

        Interlocked.Increment(ref _requests);
        var lease = await request.Content!.ReadFromJsonAsync<LeaseRequest>(cancellationToken);
        var grant = await service.GrantAsync(lease!, cancellationToken);
        Interlocked.Add(ref _granted, grant.GrantedBytes);
        return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = JsonContent.Create(grant) };
    }
}
