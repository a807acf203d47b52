using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;

/// <summary>
/// The whole forwarding path on the in-memory store and a fake clock: sets, clicks and rules made through the services,
/// Binomo postbacks through <see cref="PostbackIngestor"/>, and <see cref="OutboxDispatcher"/>.
/// </summary>
public sealed class OutboxScenario : IAsyncDisposable
{
    public const string Campaign = "spring";

    private OutboxScenario(ForwardingHost host) => Host = host;

    public ForwardingHost Host { get; }

    public PostbackStorage Store => Host.Provider.GetRequiredService<PostbackStorage>();

    public PostbackIngestor Ingestor => Host.Provider.GetRequiredService<PostbackIngestor>();

    public OutboxDispatcher Dispatcher => Host.Provider.GetRequiredService<OutboxDispatcher>();

    public ForwardingRuleService Rules => Host.Provider.GetRequiredService<ForwardingRuleService>();

    public static OutboxScenario Create(Action<ForwardingOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        new(ForwardingHost.Create(configure, services));

    public async Task<PostbackSet> CreateSetAsync(string name = "Binomo") =>
        await Host.Provider.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = name, NetworkId = "binomo" });

    /// <summary>A click captured from a browser, with everything Meta matches on.</summary>
    public async Task<Click> CreateClickAsync(string campaignId = Campaign) =>
        await Host.Provider.GetRequiredService<ClickService>().CreateAsync(new NewClick
        {
            CampaignId = campaignId,
            SubjectId = "777000111",
            Fbclid = "IwAR2xYz_fbclid-value",
            Fbp = "fb.1.1741953600000.1234567890",
            IpAddress = IPAddress.Parse("203.0.113.7"),
            UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148",
            EventSourceUrl = "https://prelander.example/offer",
        });

    public async Task<ForwardingRule> FacebookRuleAsync(FakeDestination graph, string? setId = null, string? campaignId = null, string pixelId = Graph.PixelId) =>
        await Rules.CreateAsync(new NewForwardingRule
        {
            SetId = setId,
            CampaignId = campaignId,
            DestinationId = FacebookConversionsDestination.DestinationId,
            Settings = JsonSerializer.SerializeToElement(new { pixelId, accessToken = Graph.AccessToken, graphBaseUrl = graph.BaseUrl }),
        });

    public async Task<ForwardingRule> PostbackRuleAsync(string baseUrl, string setId) =>
        await Rules.CreateAsync(new NewForwardingRule
        {
            SetId = setId,
            DestinationId = "http-postback",
            Settings = JsonSerializer.SerializeToElement(new { urlTemplate = baseUrl + "/pb?cid={{click.id}}&event={{conversion.event}}&payout={{conversion.amount}}" }),
        });

    public async Task<PostbackIngestionResult> FirstDepositAsync(PostbackSet set, Click click, string amount = "30", string transactionId = "77") =>
        await IngestAsync(set, $"?click_id={click.Id}&ftd=true&amount={amount}&transaction_id={transactionId}");

    public async Task<PostbackIngestionResult> RegistrationAsync(PostbackSet set, Click click) =>
        await IngestAsync(set, $"?click_id={click.Id}&reg=true");

    public async Task<PostbackIngestionResult> DepositAsync(PostbackSet set, Click click, string amount, string transactionId) =>
        await IngestAsync(set, $"?click_id={click.Id}&dep=true&amount={amount}&transaction_id={transactionId}");

    public async Task<PostbackIngestionResult> IngestAsync(PostbackSet set, string query) =>
        await Ingestor.IngestAsync(set.Token, new PostbackRequest { QueryString = query });

    public async Task<IReadOnlyList<OutboxMessage>> MessagesAsync(string? conversionId = null) =>
        await Store.Outbox.ListAsync(new OutboxQuery { ConversionId = conversionId, Limit = 1000 }, default);

    public async Task<OutboxMessage> MessageAsync(string conversionId) => (await MessagesAsync(conversionId)).Should().ContainSingle().Subject;

    public async Task<OutboxMessage> ReloadAsync(OutboxMessage message) => (await Store.Outbox.GetAsync(message.Id, default))!;

    public async Task<IReadOnlyList<OutboxAttempt>> AttemptsAsync(OutboxMessage message) => await Store.Outbox.ListAttemptsAsync(message.Id, default);

    /// <summary>Polls <paramref name="condition"/> with short real-time awaits until it holds, failing after 10 seconds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string because)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), because);
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
