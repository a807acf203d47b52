using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.ReliabilityTests.Infrastructure;
using Chatterfy.Postbacks.Telegram;
using Chatterfy.Postbacks.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.ReliabilityTests;

/// <summary>
/// The sample bot flow of issue 14 against the sample receiver as a child process, with a SIGKILL in the middle: the bot
/// (in another process, here a Kestrel app of the test) gets its reactions through a signed-webhook rule, de-duplicates
/// them by delivery id, and its effects happen exactly once: 3 distinct delivery ids, {(registration, –), (first
/// deposit, 1), (deposit, 2)}.
/// </summary>
public sealed class ReactionCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ScenarioDeadline = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task KilledWhileTheBotIsDown_OnSqlite_TheBotsEffectsHappenOncePerConversion()
    {
        using var scenario = new Scenario("crash-reactions-sqlite", output, ScenarioDeadline);
        await ThrowAwayStore.OnSqliteAsync("chatterfy-reliability-reactions-", environment => RunAsync(scenario, environment));
    }

    private static async Task RunAsync(Scenario scenario, Dictionary<string, string> environment)
    {
        var ct = scenario.Deadline;
        await using var bot = await Bot.StartAsync(ct);
        environment["Postbacks__Forwarding__AllowHttp"] = "true";
        environment["Postbacks__Forwarding__Webhook__AllowedHosts__0"] = "127.0.0.1";
        environment["Postbacks__Forwarding__AttemptTimeout"] = "00:00:02";
        environment["Postbacks__Forwarding__CircuitBreakerSamplingDuration"] = "00:00:04";
        environment["Postbacks__Forwarding__CircuitBreakerBreakDuration"] = "00:00:01";
        environment["Postbacks__Forwarding__Retry__FirstDelay"] = "00:00:01";
        environment["Postbacks__Forwarding__Retry__MaxDelay"] = "00:00:02";
        environment["Postbacks__Forwarding__Dispatcher__PollInterval"] = "00:00:00.200";
        environment["Postbacks__Forwarding__Dispatcher__LeaseDuration"] = "00:00:04";
        await using var host = await SampleHost.StartAsync(scenario.Name, environment, ct);
        var apiKey = new KeyValuePair<string, string>("X-Api-Key", SampleHost.ApiKey);
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Add(apiKey.Key, apiKey.Value);
        using var api = new TrackerApi(host.BaseAddress);

        var campaign = await api.TryCreateCampaignAsync("spring", "https://t.me/spring_funnel_bot?start={{tracker.clickid}}__spring", ct);
        campaign.Status.Should().Be(HttpStatusCode.Created, campaign.Body);
        var simulator = new PostbackSimulator(client);
        var set = await simulator.CreateSetAsync("binomo", apiKeyHeader: apiKey, cancellationToken: ct);
        await api.CreateForwardingRuleAsync(set.Id, "signed-webhook", new { url = bot.BaseUrl + "/chatterfy", secret = "whsec_reliability_0123456789" }, ct);

        // The visitor, the redirect to the bot, /start, the binding and the chat's affiliate link.
        using var go = await client.GetAsync("api/go/spring?fbclid=X", ct);
        go.StatusCode.Should().Be(HttpStatusCode.Found);
        var location = go.Headers.Location!.OriginalString;
        var start = TelegramDeepLinks.ParseStart("/start " + location[(location.IndexOf("start=", StringComparison.Ordinal) + 6)..]);
        using (var bind = await client.PutAsync($"api/tracker/subjects/tg:5512/clicks/spring?clickId={start.ClickId}", null, ct))
        {
            bind.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var link = await client.PostAsJsonAsync(
            "api/tracker/links",
            new { template = "https://binomo.com/en/promo/a21?open=register&click_id={{chat.tracker.clickid}}", subjectId = "tg:5512", campaignId = "spring" },
            ct);
        var clickId = (await link.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("url").GetString()!.Split("click_id=")[1];
        clickId.Should().Be(start.ClickId);

        // The registration reaches the bot; then the bot goes down, the first deposit is refused, and the host is killed.
        (await simulator.SendAsync(set.Urls, new BinomoPostback(SimulatedEvent.Registration, clickId), cancellationToken: ct)).Single().Acknowledged.Should().BeTrue();
        (await Bot.WaitAsync(() => bot.Effects.Count == 1, Bound, ct)).Should().BeTrue(scenario.Failure("the registration should reach the bot", host.Output()));
        bot.Down = true;
        (await simulator.SendAsync(set.Urls, new BinomoPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 50m, TransactionId = "88123" }, cancellationToken: ct))
            .Single().Acknowledged.Should().BeTrue();
        (await Bot.WaitAsync(() => bot.Refused >= 1, Bound, ct)).Should().BeTrue(scenario.Failure("the dispatcher should try the bot while it is down", host.Output()));
        host.Kill();

        bot.Down = false;
        await host.StartAsync(ct);
        (await simulator.SendAsync(set.Urls, new BinomoPostback(SimulatedEvent.Deposit, clickId) { Amount = 20m, TransactionId = "88124" }, cancellationToken: ct))
            .Single().Acknowledged.Should().BeTrue();
        var all = await Bot.WaitAsync(() => bot.Effects.Count == 3, Bound, ct);
        scenario.Summary(3, 3, bot.Effects.Count, duplicates: bot.Requests - bot.Refused - bot.Effects.Count, rejected: 0, ("botRequests", bot.Requests), ("refused", bot.Refused));

        all.Should().BeTrue(scenario.Failure($"the bot should get 3 reactions; it has {bot.Effects.Count}", host.Output()));
        bot.Effects.Keys.Should().OnlyHaveUniqueItems().And.HaveCount(3);
        bot.Effects.Values.Should().BeEquivalentTo([("registration", (int?)null), ("first-deposit", 1), ("deposit", 2)]);
    }

    /// <summary>The bot in another process: de-duplicates by the Chatterfy-Delivery header; answers 503 while down.</summary>
    private sealed class Bot : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _requests;
        private int _refused;

        private Bot(WebApplication app) => _app = app;

        public ConcurrentDictionary<string, (string Event, int? DepositNumber)> Effects { get; } = new();

        public volatile bool Down;

        public string BaseUrl { get; private set; } = "";

        public int Requests => Volatile.Read(ref _requests);

        public int Refused => Volatile.Read(ref _refused);

        public static async Task<Bot> StartAsync(CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var bot = new Bot(app);
            app.Run(bot.HandleAsync);
            await app.StartAsync(cancellationToken);
            bot.BaseUrl = app.Urls.Single().Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
            return bot;
        }

        public static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!condition())
            {
                if (DateTime.UtcNow > deadline)
                {
                    return false;
                }

                await Task.Delay(50, cancellationToken);
            }

            return true;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private async Task HandleAsync(HttpContext context)
        {
            Interlocked.Increment(ref _requests);
            if (Down)
            {
                Interlocked.Increment(ref _refused);
                context.Response.StatusCode = 503;
                return;
            }

            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
            var depositNumber = body.GetProperty("depositNumber");
            Effects.TryAdd(
                context.Request.Headers["Chatterfy-Delivery"].ToString(),
                (body.GetProperty("event").GetString()!, depositNumber.ValueKind == JsonValueKind.Null ? null : depositNumber.GetInt32()));
            context.Response.StatusCode = 200;
        }
    }
}
