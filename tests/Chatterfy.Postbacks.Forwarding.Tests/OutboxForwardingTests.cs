using System.Text.Json;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>From a Binomo postback to the destination: rules, the outbox written by ingestion, and one dispatch pass.</summary>
public sealed class OutboxForwardingTests
{
    [Fact]
    public async Task FirstDeposit_IsSentToTheSetsPixelAsPurchase_WithValueCurrencyAndTheConversionIdAsEventId()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        var click = await scenario.CreateClickAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);

        var result = await scenario.FirstDepositAsync(set, click, amount: "30.50");
        var completed = await scenario.Dispatcher.DispatchOnceAsync();

        result.Outcome.Should().Be(PostbackOutcome.Accepted);
        completed.Should().Be(1);
        var request = graph.Requests.Should().ContainSingle().Subject;
        request.Path.Should().Be($"/v21.0/{Graph.PixelId}/events");
        var sent = Graph.Events(request).Should().ContainSingle().Subject;
        ((string)sent["event_name"]!).Should().Be("Purchase");
        ((string)sent["event_id"]!).Should().Be(result.ConversionId);
        ((decimal)sent["custom_data"]!["value"]!).Should().Be(30.50m);
        ((string)sent["custom_data"]!["currency"]!).Should().Be("USD", "Binomo reports amounts in USD");
        var message = await scenario.MessageAsync(result.ConversionId!);
        message.Status.Should().Be(OutboxMessageStatus.Delivered);
        message.AttemptCount.Should().Be(1);
        message.CompletedAt.Should().Be(ForwardingHost.Now);
        (await scenario.AttemptsAsync(message)).Should().ContainSingle().Which.Status.Should().Be(DeliveryStatus.Delivered);
    }

    [Fact]
    public async Task Registration_IsSentAsCompleteRegistration()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        var click = await scenario.CreateClickAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);

        await scenario.RegistrationAsync(set, click);
        await scenario.Dispatcher.DispatchOnceAsync();

        var sent = Graph.Events(graph.Requests.Should().ContainSingle().Subject).Single();
        ((string)sent["event_name"]!).Should().Be("CompleteRegistration");
        sent.ContainsKey("custom_data").Should().BeFalse("a registration carries no amount");
    }

    [Fact]
    public async Task RepeatDeposit_IsNotForwardedToFacebookByDefault_AndWritesNoMessage()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        var click = await scenario.CreateClickAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);

        var result = await scenario.DepositAsync(set, click, "20", "tx-2");

        result.Outcome.Should().Be(PostbackOutcome.Accepted);
        (await scenario.MessagesAsync()).Should().BeEmpty();
        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(0);
        graph.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task CampaignRule_ForwardsTheCampaignsConversions_UntilASetRuleForTheSameDestinationWins()
    {
        await using var campaignPixel = await FakeDestination.StartAsync(Graph.Received);
        await using var setPixel = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        var campaignRule = await scenario.FacebookRuleAsync(campaignPixel, campaignId: OutboxScenario.Campaign, pixelId: "111");
        await scenario.FacebookRuleAsync(campaignPixel, campaignId: "another-campaign", pixelId: "222");

        var first = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());
        (await scenario.MessageAsync(first.ConversionId!)).RuleId.Should().Be(campaignRule.Id, "only the click's campaign's rules match");

        var setRule = await scenario.FacebookRuleAsync(setPixel, setId: set.Id, pixelId: "333");
        var second = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());
        (await scenario.MessageAsync(second.ConversionId!)).RuleId.Should().Be(setRule.Id, "the set's rule wins over the campaign's for the same destination");

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(2);
        Graph.EventIds(campaignPixel.Requests.Should().ContainSingle().Subject).Should().Equal(first.ConversionId);
        campaignPixel.Requests[0].Path.Should().Contain("/111/");
        Graph.EventIds(setPixel.Requests.Should().ContainSingle().Subject).Should().Equal(second.ConversionId);
        setPixel.Requests[0].Path.Should().Contain("/333/");
    }

    [Fact]
    public async Task RetriedPostback_IsADuplicate_AndWritesNoSecondMessage()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        var click = await scenario.CreateClickAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);

        var first = await scenario.FirstDepositAsync(set, click);
        scenario.Host.Time.Advance(TimeSpan.FromMinutes(1));
        var retry = await scenario.FirstDepositAsync(set, click);

        retry.Outcome.Should().Be(PostbackOutcome.Duplicate);
        (await scenario.MessagesAsync()).Should().ContainSingle().Which.ConversionId.Should().Be(first.ConversionId);
    }

    [Fact]
    public async Task UnattributedConversion_WritesNoMessage()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);

        var result = await scenario.IngestAsync(set, "?click_id=unknown0001&ftd=true&amount=30&transaction_id=9");

        result.Outcome.Should().Be(PostbackOutcome.Unattributed);
        (await scenario.MessagesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task ConversionsForOnePixel_GoInOneCall()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync(), transactionId: $"tx-{i}")).ConversionId!);
        }

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(3);

        Graph.EventIds(graph.Requests.Should().ContainSingle().Subject).Should().BeEquivalentTo(ids);
    }

    [Fact]
    public async Task ServerError_IsRetriedLater_WithTheSameEventId_AndBothAttemptsRecorded()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        graph.Answer(new FakeAnswer(500, "upstream broke"));
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(1);
        var message = await scenario.MessageAsync(result.ConversionId!);
        message.Status.Should().Be(OutboxMessageStatus.Pending);
        message.LastErrorCode.Should().Be(DeliveryErrorCodes.HttpStatus);
        message.NextAttemptAt.Should().BeOnOrAfter(ForwardingHost.Now.AddSeconds(15)).And.BeOnOrBefore(ForwardingHost.Now.AddSeconds(30), "the first delay is 30 s with jitter");
        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(0, "the retry is not due yet");

        scenario.Host.Time.Advance(TimeSpan.FromSeconds(30));
        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(1);

        message = await scenario.ReloadAsync(message);
        message.Status.Should().Be(OutboxMessageStatus.Delivered);
        message.AttemptCount.Should().Be(2);
        var attempts = await scenario.AttemptsAsync(message);
        attempts.Select(a => a.Status).Should().Equal(DeliveryStatus.Retry, DeliveryStatus.Delivered);
        attempts[0].HttpStatusCode.Should().Be(500);
        attempts[0].ResponseExcerpt.Should().Be("upstream broke");
        graph.Requests.Should().HaveCount(2);
        graph.Requests.Select(r => Graph.EventIds(r).Single()).Should().AllBe(result.ConversionId, "Meta de-duplicates retries by event_id");
    }

    [Fact]
    public async Task RetryAfter_IsHonoured_TheMessageIsNotLeasedBeforeIt()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        graph.Answer(new FakeAnswer(429, "", new Dictionary<string, string> { ["Retry-After"] = "600" }));
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());

        await scenario.Dispatcher.DispatchOnceAsync();
        var message = await scenario.MessageAsync(result.ConversionId!);
        message.LastErrorCode.Should().Be(DeliveryErrorCodes.Throttled);
        message.NextAttemptAt.Should().Be(ForwardingHost.Now.AddMinutes(10));

        scenario.Host.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(0);
        graph.Requests.Should().HaveCount(1);

        scenario.Host.Time.Advance(TimeSpan.FromSeconds(1));
        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(1);
        graph.Requests.Should().HaveCount(2);
        (await scenario.ReloadAsync(message)).Status.Should().Be(OutboxMessageStatus.Delivered);
    }

    [Fact]
    public async Task PermanentError_IsDeadLetteredAtOnce_WithMetasCodeSubcodeAndTraceId()
    {
        await using var graph = await FakeDestination.StartAsync(_ => Graph.Error(400, 100, subcode: 2804003, traceId: "AxYz-trace"));
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(1);

        var message = await scenario.MessageAsync(result.ConversionId!);
        message.Status.Should().Be(OutboxMessageStatus.DeadLettered);
        message.LastErrorCode.Should().Be(DeliveryErrorCodes.DestinationError);
        var attempt = (await scenario.AttemptsAsync(message)).Should().ContainSingle().Subject;
        attempt.Status.Should().Be(DeliveryStatus.DeadLetter);
        attempt.HttpStatusCode.Should().Be(400);
        attempt.DestinationError.Should().NotBeNull();
        attempt.DestinationError!.Code.Should().Be("100");
        attempt.DestinationError.Subcode.Should().Be("2804003");
        attempt.DestinationError.TraceId.Should().Be("AxYz-trace");
    }

    [Fact]
    public async Task DeadLetter_ReplayedByHand_IsDelivered()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        graph.Answer(Graph.Error(400, 100, subcode: 2804003));
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());
        await scenario.Dispatcher.DispatchOnceAsync();
        var message = await scenario.MessageAsync(result.ConversionId!);
        message.Status.Should().Be(OutboxMessageStatus.DeadLettered);

        scenario.Host.Time.Advance(TimeSpan.FromHours(1));
        await scenario.Store.Outbox.RescheduleAsync(message.Id, scenario.Host.Time.GetUtcNow(), default);
        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(1);

        message = await scenario.ReloadAsync(message);
        message.Status.Should().Be(OutboxMessageStatus.Delivered);
        message.AttemptCount.Should().Be(2);
        graph.Requests.Select(r => Graph.EventIds(r).Single()).Should().Equal(result.ConversionId, result.ConversionId);
    }

    [Fact]
    public async Task TransientFailureAfterTheHorizon_IsDeadLetteredNamingTheHorizon()
    {
        await using var graph = await FakeDestination.StartAsync(_ => new FakeAnswer(503));
        await using var scenario = OutboxScenario.Create(o => o.Retry.Horizon = TimeSpan.FromHours(2));
        var set = await scenario.CreateSetAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());
        await scenario.Dispatcher.DispatchOnceAsync();

        scenario.Host.Time.Advance(TimeSpan.FromHours(2));
        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(1);

        var message = await scenario.MessageAsync(result.ConversionId!);
        message.Status.Should().Be(OutboxMessageStatus.DeadLettered);
        message.LastErrorCode.Should().Be(DeliveryErrorCodes.RetryHorizonPassed);
        message.LastError.Should().Contain("02:00:00").And.Contain(DeliveryErrorCodes.HttpStatus);
        var attempts = await scenario.AttemptsAsync(message);
        attempts.Select(a => a.Status).Should().Equal(DeliveryStatus.Retry, DeliveryStatus.DeadLetter);
        attempts[1].HttpStatusCode.Should().Be(503, "the attempt keeps what the destination answered");
    }

    [Fact]
    public async Task OneDeadDestination_DoesNotHoldBackAHealthyOne()
    {
        await using var healthy = await FakeDestination.StartAsync();
        await using var scenario = OutboxScenario.Create(o => o.Dispatcher.MaxConcurrentSends = 1);
        var set = await scenario.CreateSetAsync();
        await scenario.PostbackRuleAsync($"http://127.0.0.1:{ForwardingHost.ClosedPort()}", set.Id);
        await scenario.PostbackRuleAsync(healthy.BaseUrl, set.Id);
        var clicks = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var click = await scenario.CreateClickAsync();
            clicks.Add(click.Id);
            await scenario.FirstDepositAsync(set, click, transactionId: $"tx-{i}");
        }

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(6);

        healthy.Requests.Select(r => r.Query).Should().BeEquivalentTo(clicks.Select(c => $"?cid={c}&event=first-deposit&payout=30"));
        var messages = await scenario.MessagesAsync();
        messages.Should().HaveCount(6);
        messages.Count(m => m.Status == OutboxMessageStatus.Delivered).Should().Be(3);
        messages.Where(m => m.Status == OutboxMessageStatus.Pending).Should().HaveCount(3)
            .And.OnlyContain(m => m.LastErrorCode == DeliveryErrorCodes.NetworkError);
    }

    [Fact]
    public async Task LeaseOfACrashedDispatcher_Expires_AndTheMessageIsDelivered()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());
        var leaseDuration = TimeSpan.FromMinutes(5);
        var crashed = await scenario.Store.Outbox.LeaseAsync(
            new OutboxLeaseRequest { LeaseId = "crashed-dispatcher", Now = scenario.Host.Time.GetUtcNow(), Duration = leaseDuration, MaxCount = 10 }, default);
        crashed.Should().ContainSingle();

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(0, "the message is leased");
        scenario.Host.Time.Advance(leaseDuration);
        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(1);

        graph.Requests.Should().ContainSingle();
        (await scenario.MessageAsync(result.ConversionId!)).Status.Should().Be(OutboxMessageStatus.Delivered);
    }

    [Fact]
    public async Task MessageOfADeletedRule_IsDeadLetteredWithoutACall()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        var rule = await scenario.FacebookRuleAsync(graph, setId: set.Id);
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());

        (await scenario.Rules.DeleteAsync(rule.Id)).Should().BeTrue();
        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(1);

        graph.Requests.Should().BeEmpty();
        var message = await scenario.MessageAsync(result.ConversionId!);
        message.Status.Should().Be(OutboxMessageStatus.DeadLettered);
        message.LastErrorCode.Should().Be(DeliveryErrorCodes.RuleDeleted);
        (await scenario.AttemptsAsync(message)).Should().ContainSingle().Which.Number.Should().Be(1);
    }

    [Fact]
    public async Task RuleCreatedOnAnotherInstance_IsFoundByReadingTheRulesAgain()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create(o => o.RuleCacheDuration = TimeSpan.FromMinutes(5));
        var set = await scenario.CreateSetAsync();
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());
        (await scenario.MessagesAsync()).Should().BeEmpty("no rule yet; this instance now caches an empty rule list for 5 minutes");

        // Another instance stores a rule and a conversion with its message: this instance's cached rules lack the rule.
        var now = scenario.Host.Time.GetUtcNow();
        var rule = new ForwardingRule
        {
            Id = "rule-elsewhere",
            SetId = set.Id,
            DestinationId = "facebook-capi",
            Settings = JsonSerializer.SerializeToElement(new { pixelId = Graph.PixelId, accessToken = Graph.AccessToken, graphBaseUrl = graph.BaseUrl }),
            CreatedAt = now,
        };
        await scenario.Store.ForwardingRules.AddAsync(rule, default);
        var original = (await scenario.Store.Ingest.GetConversionAsync(result.ConversionId!, default))!;
        await scenario.Store.Ingest.AppendAsync(
            [
                new IngestRecord
                {
                    Conversion = original with { Id = "conversion-elsewhere", Conversion = original.Conversion with { IdempotencyKey = new IdempotencyKey("elsewhere", null) } },
                    LogEntry = new PostbackLogEntry { Id = "log-elsewhere", ReceivedAt = now, SetId = set.Id, Request = new PostbackRequest(), Outcome = PostbackOutcome.Accepted, ConversionId = "conversion-elsewhere" },
                    OutboxMessages = [new OutboxMessage { Id = "message-elsewhere", ConversionId = "conversion-elsewhere", RuleId = rule.Id, DestinationId = rule.DestinationId, CreatedAt = now, NextAttemptAt = now, RetryFrom = now }],
                },
            ],
            default);

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(1);

        (await scenario.Store.Outbox.GetAsync("message-elsewhere", default))!.Status.Should().Be(OutboxMessageStatus.Delivered, "a rule missing from the cache is looked up again before its message is dead-lettered");
        Graph.EventIds(graph.Requests.Should().ContainSingle().Subject).Should().Equal("conversion-elsewhere");
    }

    [Fact]
    public async Task ReplayedPostback_WritesMessagesDatedNow_NotAtTheOriginalReceiveTime()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);
        var click = await scenario.CreateClickAsync();
        var rejected = await scenario.IngestAsync(set, $"?click_id={click.Id}&ftd=true&amount=1,234&transaction_id=5");
        rejected.Outcome.Should().Be(PostbackOutcome.Rejected);
        var entry = (await scenario.Store.Log.ListAsync(new PostbackLogQuery(), default)).Single();
        scenario.Host.Time.Advance(TimeSpan.FromDays(2));

        var replay = await scenario.Ingestor.ReplayAsync(entry with { Request = entry.Request with { QueryString = entry.Request.QueryString.Replace("1,234", "1234", StringComparison.Ordinal) } });

        replay.Outcome.Should().Be(PostbackOutcome.Accepted);
        replay.Conversion!.ReceivedAt.Should().Be(ForwardingHost.Now);
        var message = await scenario.MessageAsync(replay.ConversionId!);
        message.CreatedAt.Should().Be(ForwardingHost.Now.AddDays(2));
        message.RetryFrom.Should().Be(message.CreatedAt);
        message.NextAttemptAt.Should().Be(message.CreatedAt);
    }
}
