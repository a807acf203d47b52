using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A real <see cref="WebApplication"/> with the in-memory store (or <see cref="UnavailableStore"/>), a fake clock, the
/// receiver, the tracker API and the click redirect mapped with their defaults, and a health endpoint — served by TestServer, or by Kestrel on
/// 127.0.0.1 where Kestrel's own limits matter.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    public const string PublicBaseUrl = "https://pb.example.com";
    public const string HealthPath = "/health";

    public static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private bool _disposed;

    private TestApp(WebApplication app, FakeTimeProvider time, HttpClient client)
    {
        _app = app;
        Time = time;
        Client = client;
    }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    /// <summary>The Kestrel port on 127.0.0.1 (only with <c>kestrel: true</c>).</summary>
    public int Port => Client.BaseAddress!.Port;

    public IServiceProvider Services => _app.Services;

    public static async Task<TestApp> StartAsync(
        Action<ChatterfyPostbacksOptions>? configure = null,
        UnavailableStore? store = null,
        bool kestrel = false,
        bool publicBaseUrl = true,
        Action<IServiceCollection>? services = null,
        string? trackerPrefix = null,
        Action<RouteGroupBuilder>? trackerConventions = null,
        Action<IChatterfyPostbacksBuilder>? postbacks = null,
        Action<WebApplication>? middleware = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        var time = new FakeTimeProvider(Start);
        builder.Services.AddSingleton<TimeProvider>(time);
        var postbacksBuilder = builder.Services.AddChatterfyPostbacks(o =>
        {
            o.PublicBaseUrl = publicBaseUrl ? PublicBaseUrl : null;
            configure?.Invoke(o);
        }).UseInMemoryStore();
        postbacks?.Invoke(postbacksBuilder);
        if (store is not null)
        {
            postbacksBuilder.UseStorage(_ => store.Storage);
        }

        builder.Services.AddHealthChecks().AddChatterfyPostbacksHealthCheck();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        middleware?.Invoke(app);
        app.MapChatterfyPostbacks();
        app.MapChatterfyClickRedirect();
        var tracker = app.MapChatterfyTrackerApi(trackerPrefix);
        trackerConventions?.Invoke(tracker);
        app.MapHealthChecks(HealthPath);
        await app.StartAsync();

        var client = kestrel
            ? new HttpClient { BaseAddress = new Uri(app.Urls.Single()) }
            : app.GetTestClient();
        return new TestApp(app, time, client) { TrackerPrefix = trackerPrefix ?? "/api/tracker" };
    }

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Creates a postback set through the API and returns its body.</summary>
    public async Task<JsonElement> CreateSetAsync(string network = "binomo", string? campaignId = null, string? settingsJson = null, string name = "Main")
    {
        var json = $$"""{"name":{{JsonSerializer.Serialize(name)}},"network":{{JsonSerializer.Serialize(network)}},"campaignId":{{JsonSerializer.Serialize(campaignId)}},"settings":{{settingsJson ?? "null"}}}""";
        var response = await PostJsonAsync($"{TrackerPrefix}/postback-sets", json);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Creates a click through the API and returns its id.</summary>
    public async Task<string> CreateClickAsync(string? campaignId = null)
    {
        var response = await PostJsonAsync($"{TrackerPrefix}/clicks", $$"""{"campaignId":{{JsonSerializer.Serialize(campaignId)}}}""");
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clickId").GetString()!;
    }

    /// <summary>The prefix of the tracker API as mapped.</summary>
    public string TrackerPrefix { get; private init; } = "/api/tracker";

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PatchJsonAsync(string path, string json) =>
        Client.PatchAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>The path and query of one of a set's URLs, ready for <see cref="Client"/>: <c>urls.firstDeposit</c> → <c>/api/postbacks/…/first-deposit</c>.</summary>
    public static string PathOf(JsonElement set, string urlKind)
    {
        var url = set.GetProperty("urls").GetProperty(urlKind).GetString()!;
        url.Should().StartWith(PublicBaseUrl);
        return url[PublicBaseUrl.Length..];
    }

    /// <summary>Stops the host (waiting for the requests in flight) and disposes of it; safe to call again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
