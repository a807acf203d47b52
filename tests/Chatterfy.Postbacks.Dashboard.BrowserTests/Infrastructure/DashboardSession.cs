using System.Collections.Concurrent;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Chatterfy.Postbacks.Dashboard.BrowserTests.Infrastructure;

/// <summary>
/// One test's dashboard in the browser: a started <see cref="DashboardHost"/>, a fresh browser context and its page. Every
/// request the page makes to a host other than the dashboard's is aborted and recorded; disposing fails the test when
/// there was one.
/// </summary>
internal sealed class DashboardSession : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _otherHosts = new();

    private DashboardSession(DashboardHost host, IBrowserContext context, IPage page, Uri origin)
    {
        Host = host;
        Context = context;
        Page = page;
        Origin = origin;
    }

    /// <summary>Gets the host serving the dashboard.</summary>
    public DashboardHost Host { get; }

    /// <summary>Gets the test's browser context.</summary>
    public IBrowserContext Context { get; }

    /// <summary>Gets the test's page.</summary>
    public IPage Page { get; }

    /// <summary>Gets the origin the browser opens the dashboard at.</summary>
    public Uri Origin { get; }

    /// <summary>Gets the requests the page tried to make to any other host.</summary>
    public IReadOnlyCollection<string> OtherHostRequests => _otherHosts;

    /// <summary>Starts a host and opens a context on it.</summary>
    /// <param name="browser">The class's browser.</param>
    /// <param name="options">Context options (viewport, permissions, …); the base URL is set here.</param>
    /// <param name="configure">More host services, e.g. <see cref="DashboardData.ConfigureServices"/>.</param>
    /// <returns>The session.</returns>
    public static async Task<DashboardSession> StartAsync(IBrowser browser, BrowserNewContextOptions? options = null, Action<IServiceCollection>? configure = null)
    {
        var host = await DashboardHost.StartAsync(configure: configure);
        var origin = host.BaseAddress;
        options ??= new BrowserNewContextOptions();
        options.BaseURL = origin.ToString();
        options.ViewportSize ??= new ViewportSize { Width = 1280, Height = 800 };
        var context = await browser.NewContextAsync(options);
        // Bounds every action's and navigation's wait (Expect's: BrowserFixture). Generous because on a loaded 2-core machine
        // (CI runs the test assemblies in parallel) the first sign-in of a fresh host has taken over 30 s; a test that
        // really hangs still fails, a minute later.
        context.SetDefaultTimeout(60_000);
        var session = new DashboardSession(host, context, await context.NewPageAsync(), origin);
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Host == origin.Host && url.Port == origin.Port)
            {
                await route.ContinueAsync();
            }
            else
            {
                session._otherHosts.Enqueue(route.Request.Url);
                await route.AbortAsync();
            }
        });
        return session;
    }

    /// <summary>Opens a dashboard page, e.g. <c>postbacks</c>.</summary>
    /// <param name="path">The path inside the dashboard.</param>
    /// <returns>The response.</returns>
    public Task<IResponse?> GoToAsync(string path) => Page.GotoAsync($"{DashboardHost.Prefix}/{path}");

    /// <summary>Signs in through the sign-in page with the host's API key and waits for the dashboard's first page.</summary>
    /// <returns>A task that completes once signed in.</returns>
    public async Task SignInAsync()
    {
        await GoToAsync("sign-in");
        await Page.GetByLabel("API key").FillAsync(DashboardHost.ApiKey);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForURLAsync($"**{DashboardHost.Prefix}/postbacks");
    }

    /// <summary>
    /// Saves a PNG of what the viewport shows (1280 × 800 unless the test set another size) as
    /// <c>artifacts/screenshots/{name}.png</c> in the checkout; docs/dashboard.md shows copies of some of them.
    /// </summary>
    /// <param name="name">The file's name without extension, e.g. <c>01-sign-in</c>.</param>
    /// <returns>A task that completes once saved.</returns>
    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png") });

    private static string ScreenshotDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Postbacks.sln")))
                {
                    return Path.Combine(dir.FullName, "artifacts", "screenshots");
                }
            }

            return Path.Combine(AppContext.BaseDirectory, "screenshots");
        }
    }

    /// <summary>Whether the context holds the dashboard's sign-in cookie.</summary>
    /// <returns><see langword="true"/> when it does.</returns>
    public async Task<bool> HasSignInCookieAsync() =>
        (await Context.CookiesAsync()).Any(c => c.Name == ChatterfyDashboardDefaults.CookieName);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await Host.DisposeAsync();
        _otherHosts.Should().BeEmpty("every request the dashboard makes goes to its own host");
    }
}
