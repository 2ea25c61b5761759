using Microsoft.Extensions.Options;
using Unitization.Throttle.Budget;

namespace Unitization.Throttle.Configuration;

/// <summary>Checks what DataAnnotations cannot: links (each valid, none twice), floors summing to at most 1, weights, URL, TTL.</summary>
internal sealed class ThrottleOptionsValidator : IValidateOptions<ThrottleOptions>
{
    public ValidateOptionsResult Validate(string? name, ThrottleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < options.Links.Count; i++)
        {
            var link = options.Links[i];
            var at = $"Links:{i}";
            if (string.IsNullOrWhiteSpace(link.From) || string.IsNullOrWhiteSpace(link.To))
            {
                failures.Add($"{at}: From and To must both name a datacenter");
            }
            else if (link.From == link.To)
            {
                failures.Add($"{at}: From and To are both '{link.From}'; a link joins two datacenters");
            }
            else if (!seen.Add((link.From, link.To)))
            {
                failures.Add($"{at}: link {link.From}->{link.To} is listed twice");
            }

            if (ByteRate.Check(link.BytesPerSecond) is { } rateError)
            {
                failures.Add($"{at}:BytesPerSecond: {rateError}");
            }

            if (link.BurstBytes is { } burst && !(burst is >= 1 and <= 1e15))
            {
                failures.Add($"{at}:BurstBytes: must be from 1 byte to 1e15 bytes, got {burst}");
            }
        }

        var floors = options.Floors.ToDictionary();
        foreach (var (priority, floor) in floors)
        {
            if (floor is < 0 or > 1 || double.IsNaN(floor))
            {
                failures.Add($"Floors:{priority}: must be a fraction between 0 and 1, got {floor}");
            }
        }

        var sum = floors.Values.Sum();
        if (sum > 1 + 1e-9)
        {
            failures.Add($"Floors: the floors add up to {sum:0.###}; together they may guarantee at most the whole link (1)");
        }

        foreach (var (tenant, weight) in options.TenantWeights)
        {
            if (!(weight is >= 1e-6 and <= 1e6))
            {
                failures.Add($"TenantWeights:{tenant}: must be a number from 0.000001 to 1000000, got {weight}");
            }
        }

        foreach (var url in options.ServiceUrl)
        {
            if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            {
                failures.Add($"ServiceUrl: '{url}' is not an http(s) URL, e.g. http://127.0.0.1:8080 (several: comma-separated)");
            }
        }

        if (options.LeaseTtl <= options.LeaseSlice)
        {
            failures.Add($"LeaseTtl: {options.LeaseTtl} must be longer than LeaseSlice ({options.LeaseSlice}) or leases expire before they can be spent");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
