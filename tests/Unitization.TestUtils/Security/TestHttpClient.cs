namespace Unitization.TestUtils.Security;

/// <summary>An <see cref="HttpClient"/> that sends the tests' admin token (<see cref="TestCredentials.AdminToken"/>) on every request.</summary>
public sealed class TestHttpClient : HttpClient
{
    public TestHttpClient()
        : this(new HttpClientHandler())
    {
    }

    public TestHttpClient(HttpMessageHandler handler, bool disposeHandler = true)
        : base(handler, disposeHandler)
    {
        DefaultRequestHeaders.Authorization = TestCredentials.AdminHeader;
    }
}
