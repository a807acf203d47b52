using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Forwarding.Reactions;
using Chatterfy.Postbacks.Telegram;
using Chatterfy.Postbacks.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>
/// The sample bot flow of issue 14 without Telegram: ad → click redirect → t.me deep link → the bot's /start binds the chat
/// user → the affiliate link with {{chat.tracker.clickid}} → the network's postbacks through the real receiver → the
/// host's <see cref="IConversionHandler"/> through the outbox.
/// </summary>
public sealed class ReactionFlowTests
{
    private const string Bot = "spring_funnel_bot";

    [Fact]
    public async Task TheBotsHandlerSeesRegistrationFirstDepositAndRepeatDeposit_OnceEach_WithDistinctDeliveryIds()
    {
        await using var app = await StartAsync();
        await CreatedAsync(app.PostJsonAsync("/api/tracker/campaigns", """{"id":"spring","destination":"https://t.me/spring_funnel_bot?start={{tracker.clickid}}__spring"}"""));
        await CreatedAsync(app.PostJsonAsync("/api/tracker/forwarding-rules", """{"name":"Bot reactions","campaignId":"spring","destination":"handler","settings":{}}"""));

        // 1. A visitor from the ad: a click, and 302 to the bot with the click's payload.
        var go = await app.Client.GetAsync("/api/go/spring?fbclid=X");
        go.StatusCode.Should().Be(HttpStatusCode.Found);
        var location = go.Headers.Location!.OriginalString;
        location.Should().StartWith($"https://t.me/{Bot}?start=");

        // 2. The bot receives "/start <payload>" from chat 5512 and binds the chat user to the click.
        var start = TelegramDeepLinks.ParseStart("/start " + location[(location.IndexOf("start=", StringComparison.Ordinal) + 6)..]);
        start.CampaignTag.Should().Be("spring");
        var bind = await app.Client.PutAsync($"/api/tracker/subjects/tg:5512/clicks/spring?clickId={start.ClickId}", null);
        bind.StatusCode.Should().Be(HttpStatusCode.OK, await bind.Content.ReadAsStringAsync());

        // 3. The bot renders the Binomo link for that chat.
        var link = await (await app.PostJsonAsync("/api/tracker/links",
            """{"template":"https://binomo.com/en/promo/a21?open=register&click_id={{chat.tracker.clickid}}","subjectId":"tg:5512","campaignId":"spring"}"""))
            .Content.ReadFromJsonAsync<JsonElement>();
        var clickId = link.GetProperty("url").GetString()!.Split("click_id=")[1];
        clickId.Should().Be(start.ClickId);

        // 4. Binomo reports a registration, the first deposit and a repeat deposit.
        var simulator = new PostbackSimulator(app.Client, app.Time);
        var set = await simulator.CreateSetAsync("binomo");
        foreach (var postback in new[]
        {
            new BinomoPostback(SimulatedEvent.Registration, clickId),
            new BinomoPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 50m, TransactionId = "88123" },
            new BinomoPostback(SimulatedEvent.Deposit, clickId) { Amount = 20m, TransactionId = "88124" },
        })
        {
            (await simulator.SendAsync(set.Urls, postback)).Single().Acknowledged.Should().BeTrue();
        }

        (await app.Get<OutboxDispatcher>().DispatchOnceAsync()).Should().Be(3);
        (await app.Get<OutboxDispatcher>().DispatchOnceAsync()).Should().Be(0);

        var seen = app.Get<Reactions>().Seen.ToList();
        seen.Select(c => c.DeliveryId).Distinct().Should().HaveCount(3);
        seen.Select(c => (c.Event.Name, c.DepositNumber)).Should().BeEquivalentTo(
            [("registration", (int?)null), ("first-deposit", 1), ("deposit", 2)]);
        seen.Should().OnlyContain(c => c.SubjectId == "tg:5512" && c.Click!.Id == clickId && c.Click.Fbclid == "X");
        var outbox = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/outbox?status=delivered");
        outbox.GetProperty("items").EnumerateArray().Select(m => (m.GetProperty("id").GetString(), m.GetProperty("destination").GetString()))
            .Should().BeEquivalentTo(seen.Select(c => ((string?)c.DeliveryId, (string?)"handler")), "the reactions are outbox messages like any forwarding");
    }

    [Fact]
    public async Task AConversionOfAnotherCampaignIsNotHandedToTheCampaignsHandler()
    {
        await using var app = await StartAsync();
        await CreatedAsync(app.PostJsonAsync("/api/tracker/forwarding-rules", """{"campaignId":"spring","destination":"handler"}"""));
        var simulator = new PostbackSimulator(app.Client, app.Time);
        var set = await simulator.CreateSetAsync("binomo");
        var autumn = await simulator.CreateClickAsync("autumn");

        (await simulator.SendAsync(set.Urls, new BinomoPostback(SimulatedEvent.Registration, autumn))).Single().Acknowledged.Should().BeTrue();
        await app.Get<OutboxDispatcher>().DispatchOnceAsync();

        app.Get<Reactions>().Seen.Should().BeEmpty();
    }

    [Fact]
    public async Task AHandlerRuleWithSettingsIsRefused_WithTheFieldNamed()
    {
        await using var app = await StartAsync();

        var response = await app.PostJsonAsync("/api/tracker/forwarding-rules", """{"campaignId":"spring","destination":"handler","settings":{"url":"https://bot.example"}}""");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("forwarding_rule_invalid").And.Contain("takes no settings");
    }

    private static Task<TestApp> StartAsync() => TestApp.StartAsync(
        services: s => s.AddSingleton<Reactions>(),
        postbacks: b => b.AddForwarding(o => o.Dispatcher.Enabled = false).AddConversionHandler<BotReactions>());

    private static async Task CreatedAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private sealed class Reactions
    {
        public ConcurrentQueue<ConversionContext> Seen { get; } = new();
    }

    // The bot's reaction: de-duplicated by delivery id, as the docs ask.
    private sealed class BotReactions(Reactions reactions) : IConversionHandler
    {
        public ValueTask HandleAsync(ConversionContext context, CancellationToken cancellationToken)
        {
            if (!reactions.Seen.Any(c => c.DeliveryId == context.DeliveryId))
            {
                reactions.Seen.Enqueue(context);
            }

            return ValueTask.CompletedTask;
        }
    }
}
