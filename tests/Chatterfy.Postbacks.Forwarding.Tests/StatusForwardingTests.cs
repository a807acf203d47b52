using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>
/// What a destination is given for a status change: the change its outbox message records, rendered as it was, not the
/// conversion as it is when the message is sent (ingestion → outbox → dispatcher → a fake destination on 127.0.0.1).
/// </summary>
public sealed class StatusForwardingTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task EachMessageRendersTheStatusChangeItRecords_EvenWhenTheConversionChangedAgainBeforeItWasSent()
    {
        await using var tracker = await FakeDestination.StartAsync();
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await PostbackRuleAsync(scenario, set, tracker.BaseUrl + "/pb?cid={{click.id}}&s={{conversion.status}}&at={{conversion.status_at}}", "approved", "chargeback");
        var click = await scenario.CreateClickAsync();

        await HeldFirstDepositAsync(scenario, set, click, "pending");
        scenario.Host.Time.Advance(Hour);
        await HeldFirstDepositAsync(scenario, set, click, "approved");
        scenario.Host.Time.Advance(Hour);
        await HeldFirstDepositAsync(scenario, set, click, "chargeback");
        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(2);

        tracker.Requests.Select(r => r.Query).Should().BeEquivalentTo(
            [
                $"?cid={click.Id}&s=approved&at={ForwardingHost.Now.Add(Hour).ToUnixTimeSeconds()}",
                $"?cid={click.Id}&s=chargeback&at={ForwardingHost.Now.Add(2 * Hour).ToUnixTimeSeconds()}",
            ],
            "the approval is sent as an approval at its own time, though the conversion is a chargeback when both are sent");
    }

    [Fact]
    public async Task AConversionAsStored_RendersTheStatusItWasStoredWith_AndItsReceiveTime()
    {
        await using var tracker = await FakeDestination.StartAsync();
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await PostbackRuleAsync(scenario, set, tracker.BaseUrl + "/pb?s={{conversion.status}}&at={{conversion.status_at}}", "pending", "rejected");
        var click = await scenario.CreateClickAsync();

        await HeldFirstDepositAsync(scenario, set, click, "pending");
        scenario.Host.Time.Advance(Hour);
        await HeldFirstDepositAsync(scenario, set, click, "rejected");
        await scenario.Dispatcher.DispatchOnceAsync();

        tracker.Requests.Select(r => r.Query).Should().BeEquivalentTo(
            $"?s=pending&at={ForwardingHost.Now.ToUnixTimeSeconds()}", $"?s=rejected&at={ForwardingHost.Now.Add(Hour).ToUnixTimeSeconds()}");
    }

    [Fact]
    public async Task Meta_GetsAHeldPurchaseAtItsApproval_AlsoWhenItWasReceivedMoreThanSevenDaysBefore()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);
        var click = await scenario.CreateClickAsync();

        var held = await HeldFirstDepositAsync(scenario, set, click, "hold");
        (await scenario.MessagesAsync(held.ConversionId)).Should().BeEmpty("a rule without statuses forwards approvals only");
        scenario.Host.Time.Advance(TimeSpan.FromDays(8));
        await HeldFirstDepositAsync(scenario, set, click, "approved");
        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(1);

        (await scenario.MessageAsync(held.ConversionId!)).Status.Should().Be(OutboxMessageStatus.Delivered);
        var sent = Graph.Events(graph.Requests.Should().ContainSingle().Subject).Single();
        ((long)sent["event_time"]!).Should().Be(ForwardingHost.Now.AddDays(8).ToUnixTimeSeconds(), "the purchase happened, for Meta, when it was approved");
        ((string)sent["event_id"]!).Should().Be(held.ConversionId);
    }

    [Fact]
    public async Task Meta_AnApprovalReceivedMoreThanSevenDaysAgo_IsDeadLetteredAsTooOld_NamingTheApproval()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);
        var click = await scenario.CreateClickAsync();
        var held = await HeldFirstDepositAsync(scenario, set, click, "hold");
        scenario.Host.Time.Advance(Hour);
        await HeldFirstDepositAsync(scenario, set, click, "approved");

        scenario.Host.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await scenario.Dispatcher.DispatchOnceAsync();

        var message = await scenario.MessageAsync(held.ConversionId!);
        message.Status.Should().Be(OutboxMessageStatus.DeadLettered);
        message.LastErrorCode.Should().Be(DeliveryErrorCodes.EventTooOld);
        message.LastError.Should().StartWith($"Its approved status was received at {ForwardingHost.Now.Add(Hour).UtcDateTime:yyyy-MM-dd HH:mm:ss}Z");
        graph.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Meta_ARuleForChargebacksOrRejections_IsRefusedNamingTheStatus()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();

        var act = () => scenario.Rules.CreateAsync(new NewForwardingRule
        {
            SetId = set.Id,
            DestinationId = FacebookConversionsDestination.DestinationId,
            Settings = MetaSettings(graph),
            Filter = new ForwardingRuleFilter { Statuses = ["approved", "chargeback", "rejected"] },
        }).AsTask();

        var errors = (await act.Should().ThrowAsync<ForwardingRuleValidationException>()).Which.Errors;
        errors.Keys.Should().BeEquivalentTo("statuses[1]", "statuses[2]");
        errors["statuses[1]"].Should().Equal("Facebook Conversions API does not forward chargeback conversions (it has no event for them); leave 'chargeback' out.");
        (await scenario.Rules.ListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Meta_IsNeverSentAChargebackAsAPurchase_EvenByARuleStoredWithoutTheCheck()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await scenario.Store.ForwardingRules.AddAsync(
            new ForwardingRule
            {
                Id = "rule-before-the-check",
                SetId = set.Id,
                DestinationId = FacebookConversionsDestination.DestinationId,
                Settings = MetaSettings(graph),
                CreatedAt = scenario.Host.Time.GetUtcNow(),
                Filter = new ForwardingRuleFilter { Statuses = ["chargeback"] },
            },
            default);
        var click = await scenario.CreateClickAsync();
        var deposit = await scenario.FirstDepositAsync(set, click);
        await HeldFirstDepositAsync(scenario, set, click, "chargeback");

        await scenario.Dispatcher.DispatchOnceAsync();

        var message = await scenario.MessageAsync(deposit.ConversionId!);
        message.Status.Should().Be(OutboxMessageStatus.DeadLettered);
        message.LastErrorCode.Should().Be(DeliveryErrorCodes.EventNotForwarded);
        message.LastError.Should().Contain("no event for a chargeback conversion");
        graph.Requests.Should().BeEmpty();
    }

    private static JsonElement MetaSettings(FakeDestination graph) =>
        JsonSerializer.SerializeToElement(new { pixelId = Graph.PixelId, accessToken = Graph.AccessToken, graphBaseUrl = graph.BaseUrl });

    private static Task<ForwardingRule> PostbackRuleAsync(OutboxScenario scenario, PostbackSet set, string urlTemplate, params string[] statuses) =>
        scenario.Rules.CreateAsync(new NewForwardingRule
        {
            SetId = set.Id,
            DestinationId = "http-postback",
            Settings = JsonSerializer.SerializeToElement(new { urlTemplate }),
            Filter = new ForwardingRuleFilter { Statuses = statuses },
        }).AsTask();

    // Binomo's first deposit with a status word; the same transaction id, so each status postback matches the first one.
    private static Task<PostbackIngestionResult> HeldFirstDepositAsync(OutboxScenario scenario, PostbackSet set, Click click, string status) =>
        scenario.IngestAsync(set, $"?click_id={click.Id}&ftd=true&amount=30&transaction_id=77&status={status}");
}
