using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>
/// A destination that echoes the request it got (method, path, query and body) into its answer: the rule's secrets it
/// echoes reach neither the outbox API's answer nor any log line.
/// </summary>
public sealed class ForwardingSecretsTests
{
    private const string AccessToken = "EAAB-echoed-SECRET-token-0123456789abcdef";
    private const string PathKey = "aDsHSQnhenrV";
    private const string QueryKey = "Zx81kQ2mPqW";

    [Theory]
    [InlineData("facebook-capi", 400, false)]
    [InlineData("facebook-capi", 200, false)]
    [InlineData("facebook-capi", 400, true)]
    [InlineData("http-postback", 400, false)]
    [InlineData("http-postback", 503, false)]
    public async Task SecretsADestinationEchoesAreInNoOutboxAnswerNorLogLine(string destination, int status, bool protectSecrets)
    {
        // With secrets protected at rest, the stored settings hold ciphertext: the scrubber must still mask the real token.
        var keys = Directory.CreateTempSubdirectory("chatterfy-echo-keys-");
        try
        {
            await EchoAsync(destination, status, protectSecrets, keys);
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }

    private static async Task EchoAsync(string destination, int status, bool protectSecrets, DirectoryInfo keys)
    {
        await using var echo = await EchoDestination.StartAsync(status);
        await using var app = await TestApp.StartAsync(
            postbacks: b => b.AddForwarding(o =>
            {
                (o.AllowHttp, o.AllowPrivateNetworks) = (true, true);
                o.Dispatcher.Enabled = false;
                o.ProtectSecrets = protectSecrets;
            }),
            services: s =>
            {
                s.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
                s.AddDataProtection().PersistKeysToFileSystem(keys);
            });
        var set = await app.CreateSetAsync();
        var settings = destination == "facebook-capi"
            ? $$"""{"pixelId":"123456789012345","accessToken":"{{AccessToken}}","graphBaseUrl":"{{echo.BaseUrl}}"}"""
            : $$$"""{"urlTemplate":"{{{echo.BaseUrl}}}/form/{{{PathKey}}}/X3?key={{{QueryKey}}}&cid={{click.id}}","method":"POST"}""";
        var rule = await app.PostJsonAsync("/api/tracker/forwarding-rules", $$"""{"setId":"{{set.GetProperty("id").GetString()}}","destination":"{{destination}}","settings":{{settings}}}""");
        rule.StatusCode.Should().Be(HttpStatusCode.Created, await rule.Content.ReadAsStringAsync());
        var click = await app.Get<ClickService>().CreateAsync(new NewClick
        {
            Fbclid = "IwAR2xYzDemo",
            IpAddress = IPAddress.Parse("203.0.113.7"),
            UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)",
        });
        var postback = await app.Client.GetAsync($"{TestApp.PathOf(set, "base").Split('?')[0]}/first-deposit?click_id={click.Id}&amount=50.00&transaction_id=88123");
        var conversionId = (await postback.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversionId").GetString();

        (await app.Get<OutboxDispatcher>().DispatchOnceAsync()).Should().Be(1);

        echo.Echoed.Should().ContainSingle().Which.Should().ContainAny([AccessToken, QueryKey], "the destination did echo the secrets");
        var list = await app.Client.GetStringAsync($"/api/tracker/outbox?conversionId={conversionId}");
        var id = JsonDocument.Parse(list).RootElement.GetProperty("items")[0].GetProperty("id").GetString();
        var answer = await app.Client.GetStringAsync($"/api/tracker/outbox/{id}");
        var attempt = JsonDocument.Parse(answer).RootElement.GetProperty("attempts")[0];
        attempt.GetProperty("httpStatus").GetInt32().Should().Be(status);
        attempt.GetProperty("responseExcerpt").GetString().Should().Contain("****", "the echo is kept with its secrets masked");
        foreach (var text in new[] { list, answer })
        {
            text.Should().NotContainAny(Secrets(destination));
        }

        var logs = app.Services.GetFakeLogCollector().GetSnapshot();
        logs.Should().NotBeEmpty();
        foreach (var record in logs)
        {
            $"{record.Message} {record.Exception} {string.Join(' ', record.StructuredState?.Select(p => p.Value) ?? [])}"
                .Should().NotContainAny(Secrets(destination), $"a log line ({record.Category}, {record.Level}) must not carry a secret");
        }
    }

    private static string[] Secrets(string destination) => destination == "facebook-capi"
        ? [AccessToken, "SECRET-token"]
        : [PathKey, QueryKey];

    /// <summary>Kestrel on 127.0.0.1 answering every request with a Graph-shaped error (or success) whose message is the request itself.</summary>
    private sealed class EchoDestination : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly List<string> _echoed = [];

        private EchoDestination(WebApplication app) => _app = app;

        public string BaseUrl { get; private set; } = "";

        public IReadOnlyList<string> Echoed
        {
            get
            {
                lock (_echoed)
                {
                    return [.. _echoed];
                }
            }
        }

        public static async Task<EchoDestination> StartAsync(int status)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var echo = new EchoDestination(app);
            app.Run(async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var request = $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} {await reader.ReadToEndAsync()}";
                lock (echo._echoed)
                {
                    echo._echoed.Add(request);
                }

                context.Response.StatusCode = status;
                await context.Response.WriteAsJsonAsync(new { error = new { message = "Unexpected request: " + request, type = "OAuthException", code = 100, fbtrace_id = "EchoTrace" } });
            });
            await app.StartAsync();
            echo.BaseUrl = app.Urls.Single().Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
            return echo;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
