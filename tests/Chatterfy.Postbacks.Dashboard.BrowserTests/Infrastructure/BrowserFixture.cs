using Microsoft.Playwright;

namespace Chatterfy.Postbacks.Dashboard.BrowserTests.Infrastructure;

/// <summary>One headless Chromium per test class (launching costs about a second); each test opens its own context.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Gets the browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not launched yet.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var executable = ChromiumLocator.Find();

        // Expect(…) polls up to 15 s rather than 5 s: the same allowance for a loaded machine as the contexts' timeout.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
