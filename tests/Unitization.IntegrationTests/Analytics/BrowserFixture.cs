using Microsoft.Playwright;
using Unitization.TestUtils.Servers;

[assembly: AssemblyFixture(typeof(Unitization.IntegrationTests.Analytics.BrowserFixture))]

namespace Unitization.IntegrationTests.Analytics;

/// <summary>
/// One headless Chromium for every browser test of the assembly (on 2 cores, one per test class crawls): Debian's
/// <c>chromium</c> by its path (<c>UNITIZATION_CHROMIUM</c>, default /usr/bin/chromium), driven by Playwright; no
/// browser is downloaded. Started on first use, so test runs without browser tests never pay for it.
/// </summary>
public sealed class BrowserFixture : IAsyncDisposable
{
    public const string Variable = "UNITIZATION_CHROMIUM";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public string ExecutablePath { get; } = RequiredServer.Setting(Variable, "/usr/bin/chromium");

    public async Task<IBrowser> BrowserAsync()
    {
        RequiredServer.Require(File.Exists(ExecutablePath), $"Chromium ({Variable}={ExecutablePath})", "apt-get install -y chromium");
        await _gate.WaitAsync();
        try
        {
            if (_browser is null)
            {
                _playwright = await Playwright.CreateAsync();
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = ExecutablePath,
                    Headless = true,
                    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions"],
                });
            }

            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        _gate.Dispose();
    }
}
