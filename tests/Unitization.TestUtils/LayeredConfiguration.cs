using System.Text;
using Microsoft.Extensions.Configuration;

namespace Unitization.TestUtils;

/// <summary>A configuration as a process reads it: a JSON file first, then values over it (the environment's).</summary>
public static class LayeredConfiguration
{
    public static IConfigurationRoot FileThen(string json, IDictionary<string, string?> over) =>
        new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)))
            .AddInMemoryCollection(over)
            .Build();
}
