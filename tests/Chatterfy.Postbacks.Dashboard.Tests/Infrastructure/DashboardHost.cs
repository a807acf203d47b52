using System.Net;
using System.Text.RegularExpressions;
using Chatterfy.Postbacks.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;

/// <summary>
/// A host as the sample maps it: Kestrel on 127.0.0.1, a real SQLite file in a temporary directory, the receiver, the
/// tracker API and the dashboard behind the API-key scheme (or without any authorization requirement), forwarding on.
/// Shared by the HTTP tests and the browser tests (linked into both projects).
/// </summary>
internal sealed partial class DashboardHost : IAsyncDisposable
{
    /// <summary>The tracker API key the host accepts.</summary>
    public const string ApiKey = "dashboard-test-key-0123456789abcdef";

    /// <summary>Where the dashboard is mapped.</summary>
    public const string Prefix = "/postbacks-admin";

    private readonly WebApplication _app;
    private readonly string _directory;

    private DashboardHost(WebApplication app, string directory, FakeLogCollector logs)
    {
        _app = app;
        _directory = directory;
        Logs = logs;
        BaseAddress = new Uri(app.Urls.Single());
    }

    /// <summary>Gets the host's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the dashboard's address.</summary>
    public Uri DashboardAddress => new(BaseAddress, Prefix + "/");

    /// <summary>Gets what the host logged.</summary>
    public FakeLogCollector Logs { get; }

    /// <summary>Gets the host's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a host.</summary>
    /// <param name="requireAuthorization">Whether the dashboard is mapped with <c>.RequireAuthorization()</c> (the API-key scheme).</param>
    /// <param name="configure">More services, e.g. a fake clock.</param>
    /// <returns>The started host.</returns>
    public static async Task<DashboardHost> StartAsync(bool requireAuthorization = true, Action<IServiceCollection>? configure = null)
    {
        var directory = Directory.CreateTempSubdirectory("chatterfy-dashboard-").FullName;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddFakeLogging();

        builder.Services.AddChatterfyPostbacks(_ => { })
            .UseSqlite(Path.Combine(directory, "postbacks.db"))
            .AddForwarding()
            .AddDashboard();
        builder.Services.AddAuthentication(ChatterfyApiKeyDefaults.AuthenticationScheme).AddChatterfyApiKey(o => o.Keys.Add(ApiKey));
        builder.Services.AddAuthorization();
        configure?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapChatterfyPostbacks();
        app.MapChatterfyTrackerApi().RequireAuthorization();
        app.MapChatterfyClickRedirect();
        var dashboard = app.MapChatterfyDashboard(Prefix);
        if (requireAuthorization)
        {
            dashboard.RequireAuthorization();
        }

        await app.StartAsync();
        return new DashboardHost(app, directory, app.Services.GetRequiredService<FakeLogCollector>());
    }

    /// <summary>Creates a client that keeps no cookies and follows no redirects, with the API key when asked.</summary>
    /// <param name="withApiKey">Whether to send the <c>X-Api-Key</c> header.</param>
    /// <returns>The client.</returns>
    public HttpClient CreateClient(bool withApiKey = false)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        if (withApiKey)
        {
            client.DefaultRequestHeaders.Add(ChatterfyApiKeyDefaults.HeaderName, ApiKey);
        }

        return client;
    }

    /// <summary>Returns the hidden antiforgery field's name and value in a page, and the antiforgery cookie to send with it.</summary>
    /// <param name="page">The page's response.</param>
    /// <returns>The field and the cookie header value.</returns>
    public static async Task<(string FieldName, string Token, string Cookie)> AntiforgeryOfAsync(HttpResponseMessage page)
    {
        var html = await page.Content.ReadAsStringAsync();
        var match = AntiforgeryField().Match(html);
        match.Success.Should().BeTrue("the page's form carries an antiforgery field");
        var cookie = page.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? string.Join("; ", cookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)))
            : "";
        return (match.Groups["name"].Value, WebUtility.HtmlDecode(match.Groups["value"].Value), cookie);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the temporary directory is cleaned by the OS.
        }
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex AntiforgeryField();
}
