using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Unitization.ApiClient.Failover;
using Unitization.Replication.Hosting;
using Unitization.Replication.Rules;
using Unitization.TestUtils;

namespace Unitization.Replication.Tests.Rules;

public sealed class HttpReplicationRuleSourceTests
{
    private const string Rules = """[{"datasetNamespace":"hive://metastore","datasetName":"sales.orders","primary":"dcA","targets":["dcB"],"priority":2,"dailyBytes":10}]""";
    private static readonly Uri Dm1 = new("http://dm1:8080/");
    private static readonly Uri Dm2 = new("http://dm2:8080/");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetRulesAsync_FirstDataManagerDown_RulesFromTheSecond_WhichIsAskedFirstAfter()
    {
        var handler = new DataManagers { [Dm1] = _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (dm1:8080)") };
        var source = Source(handler, Dm1, Dm2);

        var rules = await source.GetRulesAsync(Ct);

        var rule = Assert.Single(rules);
        Assert.Equal(("sales.orders", "dcA"), (rule.DatasetName, rule.Primary));
        Assert.Equal(["dm1", "dm2"], handler.Asked);

        await source.GetRulesAsync(Ct);
        Assert.Equal(["dm1", "dm2", "dm2"], handler.Asked); // the one that answered stays first
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task GetRulesAsync_FirstAnswers5xx_FailsOverToTheSecond(HttpStatusCode status)
    {
        var handler = new DataManagers { [Dm1] = _ => new HttpResponseMessage(status) };

        var rules = await Source(handler, Dm1, Dm2).GetRulesAsync(Ct);

        Assert.Single(rules);
        Assert.Equal(["dm1", "dm2"], handler.Asked);
    }

    [Fact]
    public async Task GetRulesAsync_FirstAnswersGarbage_FailsOverToTheSecond()
    {
        var handler = new DataManagers { [Dm1] = _ => Json("<html>proxy error</html>") };

        var rules = await Source(handler, Dm1, Dm2).GetRulesAsync(Ct);

        Assert.Single(rules);
        Assert.Equal(["dm1", "dm2"], handler.Asked);
    }

    [Fact]
    public async Task GetRulesAsync_FirstNeverAnswers_SecondAskedAfterRulesTimeout()
    {
        var time = new FakeTimeProvider();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DataManagers();
        handler.Async[Dm1] = async ct =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, time, ct);
            return Json(Rules);
        };
        var source = Source(handler, time, Dm1, Dm2);

        var pending = source.GetRulesAsync(Ct);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.False(pending.IsCompleted);
        time.Advance(new ReplicationOptions().RulesTimeout);

        Assert.Single(await pending.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(["dm1", "dm2"], handler.Asked);
    }

    [Fact]
    public async Task GetRulesAsync_ClientError_NotRetriedOnTheOther()
    {
        var handler = new DataManagers { [Dm1] = _ => new HttpResponseMessage(HttpStatusCode.Unauthorized) };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Source(handler, Dm1, Dm2).GetRulesAsync(Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("Replication:RulesUrl", error.Message, StringComparison.Ordinal);
        Assert.Equal(["dm1"], handler.Asked);
        Assert.True(RuleBook.IsUnavailable(error)); // the rule book keeps its last rules
    }

    [Fact]
    public async Task GetRulesAsync_AllDown_UnavailableNamingEveryInstance()
    {
        var handler = new DataManagers
        {
            [Dm1] = _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"),
            [Dm2] = _ => new HttpResponseMessage(HttpStatusCode.BadGateway),
        };

        var error = await Assert.ThrowsAsync<EndpointsUnavailableException>(() => Source(handler, Dm1, Dm2).GetRulesAsync(Ct));

        Assert.Contains("Replication:RulesUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("http://dm1:8080/api/v1/replication/rules: Connection refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("http://dm2:8080/api/v1/replication/rules: HTTP 502", error.Message, StringComparison.Ordinal);
        Assert.True(RuleBook.IsUnavailable(error));
    }

    [Theory]
    [InlineData("http://dm1:8080", null, "http://dm1:8080/")]
    [InlineData("http://dm1:8080, http://dm2:8080/", null, "http://dm1:8080/ http://dm2:8080/")]
    [InlineData(null, "http://dm1:8080", "http://dm1:8080/ http://dm2:8080/")]
    [InlineData("", null, "")]
    public void Bind_StringOrArray_SameList(string? single, string? first, string expected)
    {
        var values = new Dictionary<string, string?>();
        if (first is not null)
        {
            values["RulesUrl:0"] = first;
            values["RulesUrl:1"] = "http://dm2:8080";
        }
        else
        {
            values["RulesUrl"] = single;
        }

        var options = new ReplicationOptions();
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().Bind(options, o => o.ErrorOnUnknownConfiguration = true);

        Assert.Equal(expected, string.Join(' ', options.RulesUrl));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"\"")]
    public void Bind_ArrayOverShippedDefault_ArrayWins(string shipped)
    {
        var configuration = LayeredConfiguration.FileThen($$"""{ "Replication": { "RulesUrl": {{shipped}} } }""",
            new Dictionary<string, string?> { ["Replication:RulesUrl:0"] = "http://dm1:8080", ["Replication:RulesUrl:1"] = "http://dm2:8080" });
        using var services = new ServiceCollection().AddReplicationOptions(configuration).Services.BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<ReplicationOptions>>().Value;

        Assert.Equal("http://dm1:8080/ http://dm2:8080/", string.Join(' ', options.RulesUrl));
    }

    [Fact]
    public void Bind_NotAUrl_SaysWhichEntry()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RulesUrl"] = "http://dm1:8080,dm2" }).Build();

        var error = Assert.ThrowsAny<InvalidOperationException>(() => configuration.Bind(new ReplicationOptions()));

        Assert.Contains("RulesUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("'dm2' is not an absolute URL", error.InnerException?.Message ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NotHttp_SaysRulesUrl()
    {
        var options = new ReplicationOptions { RulesUrl = [new Uri("ftp://dm1/")] };

        var errors = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));

        Assert.StartsWith("RulesUrl: 'ftp://dm1/' is not an http(s) base URL", Assert.Single(errors).ErrorMessage, StringComparison.Ordinal);
    }

    private static HttpReplicationRuleSource Source(DataManagers handler, params Uri[] urls) => Source(handler, new FakeTimeProvider(), urls);

    private static HttpReplicationRuleSource Source(DataManagers handler, TimeProvider time, params Uri[] urls) =>
        new(new HttpClient(handler), Options.Create(new ReplicationOptions { RulesUrl = new UrlList(urls) }), time);

    private static HttpResponseMessage Json(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>DataManager instances by base URL: each answers the rules unless told otherwise; records who was asked.</summary>
    private sealed class DataManagers : HttpMessageHandler
    {
        public Dictionary<Uri, Func<CancellationToken, Task<HttpResponseMessage>>> Async { get; } = [];

        public List<string> Asked { get; } = [];

        public Func<CancellationToken, HttpResponseMessage> this[Uri baseUrl]
        {
            set => Async[baseUrl] = ct => Task.FromResult(value(ct));
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            Assert.Equal("/api/v1/replication/rules", uri.AbsolutePath);
            lock (Asked)
            {
                Asked.Add(uri.Host);
            }

            var baseUrl = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
            return Async.TryGetValue(baseUrl, out var answer) ? await answer(cancellationToken) : Json(Rules);
        }
    }
}
