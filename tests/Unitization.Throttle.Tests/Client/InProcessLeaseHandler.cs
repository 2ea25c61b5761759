using System.Net;
using System.Net.Http.Json;
using Unitization.Throttle.Leases;

namespace Unitization.Throttle.Tests.Client;

/// <summary>
/// Carries a lease client's requests to a real <see cref="LeaseService"/> in the test, or refuses like a down server;
/// a standby's refusal (<see cref="NotLeaderException"/>) is the 503 the endpoint answers.
/// </summary>
internal sealed class InProcessLeaseHandler(LeaseService service) : HttpMessageHandler
{
    private long _granted;
    private int _requests;
    private int _attempts;

    public bool Available { get; set; } = true;

    /// <summary>Answers 503 as a standby instance of a fleet does.</summary>
    public bool Standby { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Every request sent, refused ones (<see cref="Available"/> false) included.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public long GrantedBytes => Interlocked.Read(ref _granted);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        if (!Available)
        {
            throw new HttpRequestException("Connection refused (127.0.0.1:1)");
        }

        Interlocked.Increment(ref _requests);
        if (Standby)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("standby") };
        }

        var lease = await request.Content!.ReadFromJsonAsync<LeaseRequest>(cancellationToken);
        try
        {
            var grant = await service.GrantAsync(lease!, cancellationToken);
            Interlocked.Add(ref _granted, grant.GrantedBytes);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(grant) };
        }
        catch (NotLeaderException ex)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent(ex.Message) };
        }
    }
}
