using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Testing.Tests.Infrastructure;

/// <summary>
/// A real receiver: a <see cref="WebApplication"/> with the in-memory store, a fake clock, <c>MapChatterfyPostbacks()</c>
/// and <c>MapChatterfyTrackerApi()</c>, served by TestServer or by Kestrel on 127.0.0.1. Its URLs use the public base
/// <c>https://pb.example.com</c>, which the simulator sends to the client's base address.
/// </summary>
internal sealed class ReceiverHost : IAsyncDisposable
{
    public const string PublicBaseUrl = "https://pb.example.com";

    public static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private ReceiverHost(WebApplication app, FakeTimeProvider time, HttpClient client, string trackerPrefix)
    {
        _app = app;
        Time = time;
        Client = client;
        TrackerPrefix = trackerPrefix;
        Simulator = new PostbackSimulator(client, time) { TrackerApiPrefix = trackerPrefix };
    }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public string TrackerPrefix { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>A simulator on <see cref="Client"/> and <see cref="Time"/>, with the host's tracker prefix.</summary>
    public PostbackSimulator Simulator { get; }

    public static async Task<ReceiverHost> StartAsync(
        bool kestrel = false,
        string? trackerPrefix = null,
        Action<RouteGroupBuilder>? trackerConventions = null)
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
        builder.Services.AddChatterfyPostbacks(o => o.PublicBaseUrl = PublicBaseUrl).UseInMemoryStore();

        var app = builder.Build();
        app.MapChatterfyPostbacks();
        var tracker = app.MapChatterfyTrackerApi(trackerPrefix);
        trackerConventions?.Invoke(tracker);
        await app.StartAsync();

        var client = kestrel ? new HttpClient { BaseAddress = new Uri(app.Urls.Single()) } : app.GetTestClient();
        return new ReceiverHost(app, time, client, trackerPrefix ?? "/api/tracker");
    }

    /// <summary><c>GET {prefix}/clicks/{clickId}</c>: the click's conversions, oldest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> GetConversionsAsync(string clickId)
    {
        var click = await Client.GetFromJsonAsync<JsonElement>($"{TrackerPrefix}/clicks/{clickId}");
        return [.. click.GetProperty("conversions").EnumerateArray()];
    }

    /// <summary><c>GET {prefix}/stats</c>.</summary>
    public Task<JsonElement> GetStatsAsync() => Client.GetFromJsonAsync<JsonElement>($"{TrackerPrefix}/stats");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
