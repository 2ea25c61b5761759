using System.Net;
using System.Text.Json;

namespace Unitization.ApiClient.Failover;

/// <summary>
/// One service reached at any of several base URLs (a fleet's instances of one role): a call goes to the instance
/// that answered last, and one that cannot be reached, does not answer within the attempt timeout, answers 5xx or
/// answers something the caller cannot read (<see cref="JsonException"/>, <see cref="InvalidDataException"/>) is
/// skipped for the next. A 4xx is an answer (the request is wrong, every instance would say so) and is not retried.
/// When no instance answers, <see cref="EndpointsUnavailableException"/> names the setting and every instance's failure.
/// </summary>
public sealed class FailoverEndpoints
{
    private readonly Uri[] _baseUrls;
    private readonly string _setting;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeProvider _time;
    private int _preferred;

    /// <param name="baseUrls">The instances' base URLs; a URL without a trailing '/' gets one, so relative paths append.</param>
    /// <param name="setting">The configuration key the URLs come from, named in errors (e.g. <c>Replication:RulesUrl</c>).</param>
    /// <param name="attemptTimeout">How long one instance may take before the next is asked.</param>
    /// <param name="time">Measures <paramref name="attemptTimeout"/>; the system's clock when null.</param>
    public FailoverEndpoints(IEnumerable<Uri> baseUrls, string setting, TimeSpan attemptTimeout, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrls);
        _baseUrls = [.. baseUrls.Select(WithTrailingSlash)];
        if (_baseUrls.Length == 0)
        {
            throw new ArgumentException($"{setting} names no URL.", nameof(baseUrls));
        }

        _setting = setting;
        _attemptTimeout = attemptTimeout;
        _time = time ?? TimeProvider.System;
    }

    public IReadOnlyList<Uri> BaseUrls => _baseUrls;

    /// <summary>
    /// <c>GET {instance}/{relativeUrl}</c> on one instance after the other until one answers 2xx and <paramref name="read"/>
    /// reads its answer; <paramref name="read"/> throws <see cref="JsonException"/> or <see cref="InvalidDataException"/>
    /// for an answer it cannot use, which moves on to the next instance.
    /// </summary>
    public async Task<T> GetAsync<T>(HttpClient http, string relativeUrl, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(read);
        var failures = new List<string>();
        var first = Volatile.Read(ref _preferred);
        for (var i = 0; i < _baseUrls.Length; i++)
        {
            var index = (first + i) % _baseUrls.Length;
            var url = new Uri(_baseUrls[index], relativeUrl);
            using var deadline = new CancellationTokenSource(_attemptTimeout, _time);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status >= 500)
                {
                    failures.Add($"{url}: HTTP {status}");
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"GET {url} answered HTTP {status} ({_setting}).", null, response.StatusCode);
                }

                var answer = await read(response, attempt.Token).ConfigureAwait(false);
                Volatile.Write(ref _preferred, index);
                return answer;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{url}: no answer within {_attemptTimeout.TotalSeconds:0.###} s");
            }
            catch (HttpRequestException ex) when (ex.StatusCode is null)
            {
                failures.Add($"{url}: {ex.Message}");
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException)
            {
                failures.Add($"{url}: {ex.Message}");
            }
        }

        throw new EndpointsUnavailableException($"No instance of {_setting} answered: {string.Join("; ", failures)}");
    }

    private static Uri WithTrailingSlash(Uri url) =>
        url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
