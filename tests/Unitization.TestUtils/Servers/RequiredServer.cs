using Xunit;

namespace Unitization.TestUtils.Servers;

/// <summary>
/// A real server an integration test needs. Missing on a laptop: the test is skipped with how to start it.
/// Missing with <c>CI=true</c>: the test fails, because CI's own scripts must have started it.
/// </summary>
public static class RequiredServer
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void Require(bool available, string what, string howToStart)
    {
        if (available)
        {
            return;
        }

        var message = $"{what} is not reachable. Start it with: {howToStart}";
        if (IsCi)
        {
            Assert.Fail(message + " (CI=true: a missing server is a failure)");
        }

        Assert.Skip(message);
    }

    /// <summary>An environment variable, or a working default.</summary>
    public static string Setting(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : fallback;
}
