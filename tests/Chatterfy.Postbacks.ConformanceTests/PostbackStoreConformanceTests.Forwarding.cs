using System.Collections.Concurrent;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.ConformanceTests;

// Forwarding rules, campaigns and the outbox: the append with messages, leases, completions, listing and replay.
public abstract partial class PostbackStoreConformanceTests
{
    private const int ConcurrentLeasers = 8;

    private const int ConcurrentlyLeasedMessages = 200;

    // ---------------------------------------------------------------- forwarding rules

    [Fact]
    public async Task AddForwardingRule_SetRule_GetAndListReturnAllValues()
    {
        var store = await CreateStoreAsync();
        var rule = ForwardingTestData.SetRule(StoreTestData.Epoch.AddTicks(1_234_560));

        await store.AddForwardingRuleAsync(rule, None);

        ShouldMatch(await store.GetForwardingRuleAsync(rule.Id, None), rule);
        ShouldMatch((await store.ListForwardingRulesAsync(None)).Should().ContainSingle().Subject, rule);
    }

    [Fact]
    public async Task AddForwardingRule_CampaignRuleWithoutNameAndWithEmptySettings_RoundTrips()
    {
        var store = await CreateStoreAsync();
        var rule = ForwardingTestData.CampaignRule() with { Name = null, Settings = StoreTestData.Json("{}") };

        await store.AddForwardingRuleAsync(rule, None);

        var stored = await store.GetForwardingRuleAsync(rule.Id, None);
        ShouldMatch(stored, rule);
        stored!.SetId.Should().BeNull();
        stored.CampaignId.Should().Be(rule.CampaignId);
        stored.Name.Should().BeNull();
    }

    [Fact]
    public async Task AddForwardingRule_WithIdInUse_ThrowsAndKeepsTheFirstRule()
    {
        var store = await CreateStoreAsync();
        var rule = ForwardingTestData.SetRule();
        await store.AddForwardingRuleAsync(rule, None);
        var clash = ForwardingTestData.CampaignRule(StoreTestData.Epoch.AddDays(1)) with
        {
            Id = rule.Id,
            Name = "Other",
            Settings = StoreTestData.Json("""{"pixelId":"other"}"""),
        };

        await Calling(() => store.AddForwardingRuleAsync(clash, None)).Should().ThrowAsync<InvalidOperationException>();

        ShouldMatch(await store.GetForwardingRuleAsync(rule.Id, None), rule);
        ShouldMatch((await store.ListForwardingRulesAsync(None)).Should().ContainSingle().Subject, rule);
    }

    [Fact]
    public async Task GetForwardingRule_UnknownOrDifferentlyCasedId_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        var rule = ForwardingTestData.SetRule();
        await store.AddForwardingRuleAsync(rule, None);

        (await store.GetForwardingRuleAsync("rule_" + StoreTestData.NewId(), None)).Should().BeNull();
        (await store.GetForwardingRuleAsync(rule.Id.ToUpperInvariant(), None)).Should().BeNull();
    }

    [Fact]
    public async Task ListForwardingRules_EmptyStore_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();

        (await store.ListForwardingRulesAsync(None)).Should().BeEmpty();
    }

    [Fact]
    public async Task ListForwardingRules_ReturnsOldestFirst_TiesBrokenByIdOrdinal()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var newest = ForwardingTestData.SetRule(t.AddSeconds(2)) with { Id = "rule_0_" + StoreTestData.NewId() };
        var oldestLowerCase = ForwardingTestData.SetRule(t) with { Id = "rule_a_" + StoreTestData.NewId() };
        var middle = ForwardingTestData.CampaignRule(t.AddSeconds(1)) with { Id = "rule_m_" + StoreTestData.NewId() };
        var oldestUpperCase = ForwardingTestData.SetRule(t) with { Id = "rule_Z_" + StoreTestData.NewId() };
        var oneMillisecondLater = ForwardingTestData.SetRule(t.AddMilliseconds(1)) with { Id = "rule_1_" + StoreTestData.NewId() };
        foreach (var rule in new[] { newest, oldestLowerCase, middle, oldestUpperCase, oneMillisecondLater })
        {
            await store.AddForwardingRuleAsync(rule, None);
        }

        var listed = await store.ListForwardingRulesAsync(None);

        // "rule_Z" sorts before "rule_a" ordinally (not in a culture-aware order).
        listed.Select(r => r.Id).Should().Equal(oldestUpperCase.Id, oldestLowerCase.Id, oneMillisecondLater.Id, middle.Id, newest.Id);
        ShouldMatch(listed[3], middle);
    }

    [Fact]
    public async Task DeleteForwardingRule_RuleIsNoLongerGotOrListed_AndDeletingAgainReturnsFalse()
    {
        var store = await CreateStoreAsync();
        var rule = ForwardingTestData.SetRule();
        var other = ForwardingTestData.CampaignRule();
        await store.AddForwardingRuleAsync(rule, None);
        await store.AddForwardingRuleAsync(other, None);

        (await store.DeleteForwardingRuleAsync(rule.Id, None)).Should().BeTrue();

        (await store.GetForwardingRuleAsync(rule.Id, None)).Should().BeNull();
        (await store.ListForwardingRulesAsync(None)).Select(r => r.Id).Should().Equal(other.Id);
        (await store.DeleteForwardingRuleAsync(rule.Id, None)).Should().BeFalse();
        (await store.DeleteForwardingRuleAsync("rule_" + StoreTestData.NewId(), None)).Should().BeFalse();
        ShouldMatch(await store.GetForwardingRuleAsync(other.Id, None), other);
    }

    [Fact]
    public async Task UpdateForwardingRuleSettings_ReplacesOnlyTheSettings_AsTheirExactText()
    {
        var store = await CreateStoreAsync();
        var rule = ForwardingTestData.SetRule(StoreTestData.Epoch.AddTicks(1_234_560));
        var other = ForwardingTestData.CampaignRule();
        await store.AddForwardingRuleAsync(rule, None);
        await store.AddForwardingRuleAsync(other, None);
        var settings = StoreTestData.Json("""{"pixelId":"1234567890", "accessToken":"dp1:CfDJ8Protected_value-0123","events":["first-deposit"],"note":"Весна 🌸"}""");

        (await store.UpdateForwardingRuleSettingsAsync(rule.Id, settings, None)).Should().BeTrue();

        var updated = rule with { Settings = settings };
        ShouldMatch(await store.GetForwardingRuleAsync(rule.Id, None), updated);
        (await store.GetForwardingRuleAsync(rule.Id, None))!.Settings.GetRawText().Should().Be(settings.GetRawText());
        var listed = await store.ListForwardingRulesAsync(None);
        ShouldMatch(listed.Single(r => r.Id == rule.Id), updated);
        ShouldMatch(listed.Single(r => r.Id == other.Id), other);
    }

    [Fact]
    public async Task UpdateForwardingRuleSettings_UnknownOrDeletedRule_ReturnsFalseAndStoresNothing()
    {
        var store = await CreateStoreAsync();
        var deleted = ForwardingTestData.SetRule();
        await store.AddForwardingRuleAsync(deleted, None);
        await store.DeleteForwardingRuleAsync(deleted.Id, None);
        var settings = StoreTestData.Json("""{"accessToken":"dp1:x"}""");

        (await store.UpdateForwardingRuleSettingsAsync(deleted.Id, settings, None)).Should().BeFalse();
        (await store.UpdateForwardingRuleSettingsAsync("rule_" + StoreTestData.NewId(), settings, None)).Should().BeFalse();

        (await store.GetForwardingRuleAsync(deleted.Id, None)).Should().BeNull();
        (await store.ListForwardingRulesAsync(None)).Should().BeEmpty();
    }

    [Fact]
    public async Task UpdateForwardingRuleSettings_KeepsTheRulesOutboxMessages()
    {
        var store = await CreateStoreAsync();
        var rule = ForwardingTestData.SetRule();
        await store.AddForwardingRuleAsync(rule, None);
        var conversion = StoreTestData.Conversion(rule.SetId);
        var message = ForwardingTestData.Message(conversion.Id, ruleId: rule.Id);
        await AppendAsync(store, conversion, message);

        (await store.UpdateForwardingRuleSettingsAsync(rule.Id, StoreTestData.Json("{}"), None)).Should().BeTrue();

        (await store.GetOutboxMessageAsync(message.Id, None)).Should().BeEquivalentTo(message);
    }

    [Fact]
    public async Task DeleteForwardingRule_KeepsItsOutboxMessages()
    {
        var store = await CreateStoreAsync();
        var rule = ForwardingTestData.SetRule();
        await store.AddForwardingRuleAsync(rule, None);
        var conversion = StoreTestData.Conversion(rule.SetId);
        var message = ForwardingTestData.Message(conversion.Id, ruleId: rule.Id);
        await AppendAsync(store, conversion, message);

        (await store.DeleteForwardingRuleAsync(rule.Id, None)).Should().BeTrue();

        (await store.GetOutboxMessageAsync(message.Id, None)).Should().BeEquivalentTo(message);
        (await store.ListOutboxMessagesAsync(new OutboxQuery { RuleId = rule.Id }, None)).Select(m => m.Id).Should().Equal(message.Id);
    }

    // ---------------------------------------------------------------- campaigns

    [Fact]
    public async Task AddCampaign_ThenGetAndList_ReturnAllValues()
    {
        var store = await CreateStoreAsync();
        var campaign = ForwardingTestData.Campaign(StoreTestData.Epoch.AddTicks(1_234_560)) with { Name = "Весна 🌸 launch" };
        var unnamed = ForwardingTestData.Campaign() with { Name = null };

        await store.AddCampaignAsync(campaign, None);
        await store.AddCampaignAsync(unnamed, None);

        (await store.GetCampaignAsync(campaign.Id, None)).Should().BeEquivalentTo(campaign);
        (await store.GetCampaignAsync(unnamed.Id, None)).Should().BeEquivalentTo(unnamed);
        (await store.ListCampaignsAsync(None)).Should().BeEquivalentTo([campaign, unnamed]);
    }

    [Fact]
    public async Task AddCampaign_WithIdInUse_ThrowsAndKeepsTheFirstCampaign()
    {
        var store = await CreateStoreAsync();
        var campaign = ForwardingTestData.Campaign();
        await store.AddCampaignAsync(campaign, None);
        var clash = ForwardingTestData.Campaign(StoreTestData.Epoch.AddDays(1), campaign.Id) with
        {
            Name = "Other",
            DestinationTemplate = "https://example.com/other",
        };

        await Calling(() => store.AddCampaignAsync(clash, None)).Should().ThrowAsync<InvalidOperationException>();

        (await store.GetCampaignAsync(campaign.Id, None)).Should().BeEquivalentTo(campaign);
        (await store.ListCampaignsAsync(None)).Should().ContainSingle().Which.Should().BeEquivalentTo(campaign);
    }

    [Fact]
    public async Task AddCampaign_IdsThatDifferOnlyInCase_AreDifferentCampaigns()
    {
        var store = await CreateStoreAsync();
        var lower = ForwardingTestData.Campaign(id: "spring-" + StoreTestData.NewId());
        var upper = ForwardingTestData.Campaign(id: lower.Id.ToUpperInvariant()) with { Name = "Upper" };

        await store.AddCampaignAsync(lower, None);
        await store.AddCampaignAsync(upper, None);

        (await store.GetCampaignAsync(lower.Id, None)).Should().BeEquivalentTo(lower);
        (await store.GetCampaignAsync(upper.Id, None)).Should().BeEquivalentTo(upper);
        (await store.GetCampaignAsync("Spring-" + lower.Id["spring-".Length..], None)).Should().BeNull();
        (await store.ListCampaignsAsync(None)).Should().HaveCount(2);
    }

    [Fact]
    public async Task ListCampaigns_OrdersByIdOrdinal_NotByCreationTime()
    {
        var store = await CreateStoreAsync();
        var suffix = StoreTestData.NewId()[..8];
        string[] ordinalOrder = ["-dash-" + suffix, "9nine-" + suffix, "Zeta-" + suffix, "_under-" + suffix, "alpha-" + suffix];
        var t = StoreTestData.Epoch;
        int[] insertionOrder = [4, 2, 0, 3, 1];
        for (var i = 0; i < insertionOrder.Length; i++)
        {
            // Each campaign is created earlier than the one added before it, so creation time orders them differently.
            await store.AddCampaignAsync(ForwardingTestData.Campaign(t.AddSeconds(-i), ordinalOrder[insertionOrder[i]]), None);
        }

        (await store.ListCampaignsAsync(None)).Select(c => c.Id).Should().Equal(ordinalOrder);
    }

    [Fact]
    public async Task UpdateCampaign_ReplacesNameAndTemplate_KeepsIdAndCreatedAt()
    {
        var store = await CreateStoreAsync();
        var campaign = ForwardingTestData.Campaign(StoreTestData.Epoch.AddMilliseconds(5));
        var other = ForwardingTestData.Campaign();
        await store.AddCampaignAsync(campaign, None);
        await store.AddCampaignAsync(other, None);
        var changes = campaign with
        {
            Name = "Renamed",
            DestinationTemplate = "tg://resolve?domain=mybot&start={{tracker.clickid}}",
            CreatedAt = campaign.CreatedAt.AddDays(3),
        };

        var updated = await store.UpdateCampaignAsync(changes, None);

        var expected = campaign with { Name = "Renamed", DestinationTemplate = changes.DestinationTemplate };
        updated.Should().BeEquivalentTo(expected);
        updated!.CreatedAt.Should().Be(campaign.CreatedAt);
        (await store.GetCampaignAsync(campaign.Id, None)).Should().BeEquivalentTo(expected);
        (await store.GetCampaignAsync(other.Id, None)).Should().BeEquivalentTo(other);
    }

    [Fact]
    public async Task UpdateCampaign_CanClearTheName()
    {
        var store = await CreateStoreAsync();
        var campaign = ForwardingTestData.Campaign();
        await store.AddCampaignAsync(campaign, None);

        var updated = await store.UpdateCampaignAsync(campaign with { Name = null }, None);

        updated.Should().BeEquivalentTo(campaign with { Name = null });
        (await store.GetCampaignAsync(campaign.Id, None))!.Name.Should().BeNull();
    }

    [Fact]
    public async Task UpdateCampaign_UnknownId_ReturnsNullAndStoresNothing()
    {
        var store = await CreateStoreAsync();
        var campaign = ForwardingTestData.Campaign();

        (await store.UpdateCampaignAsync(campaign, None)).Should().BeNull();

        (await store.GetCampaignAsync(campaign.Id, None)).Should().BeNull();
        (await store.ListCampaignsAsync(None)).Should().BeEmpty();
    }

    [Fact]
    public async Task DeleteCampaign_RemovesIt_AndItsIdCanBeUsedAgain()
    {
        var store = await CreateStoreAsync();
        var campaign = ForwardingTestData.Campaign();
        await store.AddCampaignAsync(campaign, None);

        (await store.DeleteCampaignAsync(campaign.Id, None)).Should().BeTrue();

        (await store.GetCampaignAsync(campaign.Id, None)).Should().BeNull();
        (await store.ListCampaignsAsync(None)).Should().BeEmpty();
        (await store.UpdateCampaignAsync(campaign, None)).Should().BeNull();
        (await store.DeleteCampaignAsync(campaign.Id, None)).Should().BeFalse();
        var again = ForwardingTestData.Campaign(StoreTestData.Epoch.AddDays(1), campaign.Id) with { Name = "Second life" };
        await store.AddCampaignAsync(again, None);
        (await store.GetCampaignAsync(campaign.Id, None)).Should().BeEquivalentTo(again);
    }

    [Fact]
    public async Task DeleteCampaign_KeepsTheRulesThatNameIt()
    {
        var store = await CreateStoreAsync();
        var campaign = ForwardingTestData.Campaign();
        await store.AddCampaignAsync(campaign, None);
        var rule = ForwardingTestData.CampaignRule(campaignId: campaign.Id);
        await store.AddForwardingRuleAsync(rule, None);

        (await store.DeleteCampaignAsync(campaign.Id, None)).Should().BeTrue();

        ShouldMatch(await store.GetForwardingRuleAsync(rule.Id, None), rule);
    }

    // ---------------------------------------------------------------- append with outbox messages

    [Fact]
    public async Task AppendConversion_WithOutboxMessages_StoresEachMessageAsGiven()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var conversion = StoreTestData.Conversion();
        var entry = StoreTestData.LogEntryFor(conversion);
        OutboxMessage[] messages =
        [
            ForwardingTestData.Message(conversion.Id, t.AddTicks(10), t.AddSeconds(5)) with { RetryFrom = t.AddMilliseconds(1) },
            ForwardingTestData.Message(conversion.Id, t) with { DestinationId = "google-ads" },
        ];

        var result = await store.AppendConversionAsync(conversion, entry, messages, None);

        result.Should().Be(ConversionAppendResult.Accepted(conversion.Id));
        foreach (var message in messages)
        {
            var stored = await store.GetOutboxMessageAsync(message.Id, None);
            stored.Should().BeEquivalentTo(message);
            stored!.Status.Should().Be(OutboxMessageStatus.Pending);
            stored.CreatedAt.Should().Be(message.CreatedAt);
            stored.NextAttemptAt.Should().Be(message.NextAttemptAt);
            stored.RetryFrom.Should().Be(message.RetryFrom);
            (await store.ListOutboxAttemptsAsync(message.Id, None)).Should().BeEmpty();
        }

        (await store.ListOutboxMessagesAsync(new OutboxQuery(), None)).Select(m => m.Id).Should().BeEquivalentTo(messages.Select(m => m.Id));
        (await store.GetConversionAsync(conversion.Id, None)).Should().BeEquivalentTo(conversion);
        (await store.GetLogEntryAsync(entry.Id, None))!.Outcome.Should().Be(PostbackOutcome.Accepted);
    }

    [Fact]
    public async Task AppendConversion_UnattributedWithOutboxMessage_StoresTheMessage()
    {
        var store = await CreateStoreAsync();
        var conversion = StoreTestData.Conversion(attribution: ConversionAttribution.Unattributed);
        var message = ForwardingTestData.Message(conversion.Id);

        var result = await store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion), [message], None);

        result.Should().Be(ConversionAppendResult.Accepted(conversion.Id));
        (await store.GetOutboxMessageAsync(message.Id, None)).Should().BeEquivalentTo(message);
    }

    [Fact]
    public async Task AppendConversion_DuplicateWithOutboxMessages_StoresNoneOfThem()
    {
        var store = await CreateStoreAsync();
        var original = StoreTestData.Conversion();
        var originalMessage = ForwardingTestData.Message(original.Id);
        await AppendAsync(store, original, originalMessage);
        var retry = StoreTestData.Retry(original, original.Conversion.ReceivedAt.AddSeconds(3));
        OutboxMessage[] retryMessages = [ForwardingTestData.Message(retry.Id), ForwardingTestData.Message(retry.Id)];

        var result = await store.AppendConversionAsync(retry, StoreTestData.LogEntryFor(retry), retryMessages, None);

        result.Should().Be(ConversionAppendResult.Duplicate(original.Id));
        foreach (var message in retryMessages)
        {
            (await store.GetOutboxMessageAsync(message.Id, None)).Should().BeNull();
        }

        (await store.ListOutboxMessagesAsync(new OutboxQuery(), None)).Select(m => m.Id).Should().Equal(originalMessage.Id);
        (await store.ListOutboxMessagesAsync(new OutboxQuery { ConversionId = retry.Id }, None)).Should().BeEmpty();
    }

    [Fact]
    public async Task AppendConversion_DuplicateWhoseMessageIdIsInUse_ReturnsDuplicateAndKeepsTheStoredMessage()
    {
        var store = await CreateStoreAsync();
        var original = StoreTestData.Conversion();
        var originalMessage = ForwardingTestData.Message(original.Id);
        await AppendAsync(store, original, originalMessage);
        var retry = StoreTestData.Retry(original);
        var clash = ForwardingTestData.Message(retry.Id, id: originalMessage.Id) with { DestinationId = "google-ads" };

        var result = await store.AppendConversionAsync(retry, StoreTestData.LogEntryFor(retry), [clash], None);

        result.Should().Be(ConversionAppendResult.Duplicate(original.Id));
        (await store.GetOutboxMessageAsync(originalMessage.Id, None)).Should().BeEquivalentTo(originalMessage);
    }

    [Fact]
    public async Task AppendConversion_MessageOfAnotherConversion_ThrowsArgumentExceptionAndStoresNothing()
    {
        var store = await CreateStoreAsync();
        var conversion = StoreTestData.Conversion();
        var entry = StoreTestData.LogEntryFor(conversion);
        var own = ForwardingTestData.Message(conversion.Id);
        var foreign = ForwardingTestData.Message("conv_" + StoreTestData.NewId());

        await Calling(() => store.AppendConversionAsync(conversion, entry, [own, foreign], None)).Should().ThrowAsync<ArgumentException>();

        await ShouldHaveStoredNothingAsync(store, conversion, entry, own, foreign);
    }

    [Fact]
    public async Task AppendConversion_MessageThatIsNotPending_ThrowsArgumentExceptionAndStoresNothing()
    {
        var store = await CreateStoreAsync();
        foreach (var status in new[] { OutboxMessageStatus.Delivered, OutboxMessageStatus.DeadLettered })
        {
            var conversion = StoreTestData.Conversion();
            var entry = StoreTestData.LogEntryFor(conversion);
            var pending = ForwardingTestData.Message(conversion.Id);
            var finished = ForwardingTestData.Message(conversion.Id) with { Status = status, CompletedAt = StoreTestData.Epoch };

            await Calling(() => store.AppendConversionAsync(conversion, entry, [pending, finished], None))
                .Should().ThrowAsync<ArgumentException>("a new message cannot be {0}", status);

            await ShouldHaveStoredNothingAsync(store, conversion, entry, pending, finished);
        }
    }

    [Fact]
    public async Task AppendConversion_WithAnOutboxMessageIdInUse_ThrowsAndStoresNothing()
    {
        var store = await CreateStoreAsync();
        var first = StoreTestData.Conversion();
        var firstMessage = ForwardingTestData.Message(first.Id);
        await AppendAsync(store, first, firstMessage);
        var second = StoreTestData.Conversion();
        var secondEntry = StoreTestData.LogEntryFor(second);
        var fresh = ForwardingTestData.Message(second.Id);
        var clash = ForwardingTestData.Message(second.Id, id: firstMessage.Id) with { DestinationId = "google-ads" };

        await Calling(() => store.AppendConversionAsync(second, secondEntry, [fresh, clash], None))
            .Should().ThrowAsync<InvalidOperationException>();

        (await store.GetConversionAsync(second.Id, None)).Should().BeNull();
        (await store.GetLogEntryAsync(secondEntry.Id, None)).Should().BeNull();
        (await store.GetOutboxMessageAsync(fresh.Id, None)).Should().BeNull();
        (await store.GetOutboxMessageAsync(firstMessage.Id, None)).Should().BeEquivalentTo(firstMessage);
        (await store.ListOutboxMessagesAsync(new OutboxQuery(), None)).Select(m => m.Id).Should().Equal(firstMessage.Id);
        var retry = StoreTestData.Retry(second);
        var retryMessage = ForwardingTestData.Message(retry.Id);
        (await store.AppendConversionAsync(retry, StoreTestData.LogEntryFor(retry), [retryMessage], None))
            .Should().Be(ConversionAppendResult.Accepted(retry.Id), "the failed append did not claim the key");
        (await store.GetOutboxMessageAsync(retryMessage.Id, None)).Should().BeEquivalentTo(retryMessage);
    }

    [Fact]
    public async Task AppendConversion_WithoutOutboxMessages_StoresNoMessages()
    {
        var store = await CreateStoreAsync();
        var conversion = StoreTestData.Conversion();
        var other = StoreTestData.Conversion();

        (await store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion), None))
            .Should().Be(ConversionAppendResult.Accepted(conversion.Id));
        (await store.AppendConversionAsync(other, StoreTestData.LogEntryFor(other), [], None))
            .Should().Be(ConversionAppendResult.Accepted(other.Id));

        (await store.GetConversionAsync(conversion.Id, None)).Should().BeEquivalentTo(conversion);
        (await store.GetConversionAsync(other.Id, None)).Should().BeEquivalentTo(other);
        (await store.ListOutboxMessagesAsync(new OutboxQuery(), None)).Should().BeEmpty();
    }

    [Fact]
    public async Task AppendConversion_ConcurrentIdenticalAppendsWithMessages_StoreOnlyTheAcceptedOnesMessages()
    {
        var store = await CreateStoreAsync();
        var template = StoreTestData.Conversion();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, ConcurrentAppends).Select(_ => Task.Run(async () =>
        {
            var conversion = StoreTestData.Retry(template);
            OutboxMessage[] messages = [ForwardingTestData.Message(conversion.Id), ForwardingTestData.Message(conversion.Id)];
            var entry = StoreTestData.LogEntryFor(conversion);
            await gate.Task;
            var result = await store.AppendConversionAsync(conversion, entry, messages, None);
            return (conversion.Id, Messages: messages, Result: result);
        })).ToArray();

        gate.SetResult();
        var results = await Task.WhenAll(tasks);

        var accepted = results.Where(r => !r.Result.IsDuplicate).Should().ContainSingle().Subject;
        accepted.Result.ConversionId.Should().Be(accepted.Id);
        results.Should().OnlyContain(r => r.Result.ConversionId == accepted.Id);
        var stored = await store.ListOutboxMessagesAsync(new OutboxQuery { Limit = 1000 }, None);
        stored.Select(m => m.Id).Should().BeEquivalentTo(accepted.Messages.Select(m => m.Id));
        stored.Should().OnlyContain(m => m.ConversionId == accepted.Id);
        foreach (var (_, messages, _) in results.Where(r => r.Result.IsDuplicate))
        {
            (await store.GetOutboxMessageAsync(messages[0].Id, None)).Should().BeNull();
            (await store.GetOutboxMessageAsync(messages[1].Id, None)).Should().BeNull();
        }
    }

    // ---------------------------------------------------------------- lease

    [Fact]
    public async Task LeaseOutboxMessages_EmptyStore_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();

        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(StoreTestData.Epoch), None)).Should().BeEmpty();
    }

    [Fact]
    public async Task LeaseOutboxMessages_LeasesMessagesDueAtOrBeforeNow_NotLaterOnes()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch.AddHours(1);
        var messages = await AppendMessagesAsync(store, t.AddSeconds(-1), t, t.AddTicks(10), t.AddDays(1));

        var leased = await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t), None);

        leased.Select(m => m.Id).Should().BeEquivalentTo([messages[0].Id, messages[1].Id]);
        (await store.GetOutboxMessageAsync(messages[2].Id, None)).Should().BeEquivalentTo(messages[2]);
        (await store.GetOutboxMessageAsync(messages[3].Id, None)).Should().BeEquivalentTo(messages[3]);
        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t), None)).Should().BeEmpty();
    }

    [Fact]
    public async Task LeaseOutboxMessages_SetsTheLeaseAndReturnsTheStoredMessages()
    {
        var store = await CreateStoreAsync();
        var messages = await AppendMessagesAsync(store, StoreTestData.Epoch);
        var request = ForwardingTestData.Lease(StoreTestData.Epoch.AddMilliseconds(1500), TimeSpan.FromMilliseconds(90_250));

        var leased = await store.LeaseOutboxMessagesAsync(request, None);

        var expected = messages[0] with { LeaseId = request.LeaseId, LeaseExpiresAt = StoreTestData.Epoch.AddMilliseconds(91_750) };
        leased.Should().ContainSingle().Which.Should().BeEquivalentTo(expected);
        leased[0].LeaseExpiresAt.Should().Be(request.Now + request.Duration);
        (await store.GetOutboxMessageAsync(expected.Id, None)).Should().BeEquivalentTo(expected);
    }

    [Fact]
    public async Task LeaseOutboxMessages_SkipsDeliveredAndDeadLetteredMessages()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t, t);
        var leased = await LeaseAllAsync(store, t, 3);
        var completions = new[]
        {
            Completion(leased[0], ForwardingTestData.Delivered(leased[0].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1)),
            Completion(leased[1], ForwardingTestData.Refused(leased[1].Id, 1, t), OutboxMessageStatus.DeadLettered, t.AddSeconds(1)),
            Completion(leased[2], ForwardingTestData.TimedOut(leased[2].Id, 1, t), OutboxMessageStatus.Pending, t.AddSeconds(10), t.AddSeconds(30)),
        };
        (await store.CompleteOutboxAttemptsAsync(completions, None)).Should().Be(3);

        var later = await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t.AddHours(1)), None);

        later.Select(m => m.Id).Should().Equal(leased[2].Id);
        messages.Select(m => m.Id).Should().BeEquivalentTo(leased.Select(m => m.Id));
    }

    [Fact]
    public async Task LeaseOutboxMessages_HonoursMaxCount_EarliestDueFirstThenByIdOrdinal()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch.AddHours(1);
        var conversion = StoreTestData.Conversion();
        OutboxMessage Message(string prefix, DateTimeOffset due) =>
            ForwardingTestData.Message(conversion.Id, StoreTestData.Epoch, due, id: prefix + StoreTestData.NewId());
        var b = Message("msg_b_", t.AddSeconds(-2));
        var a = Message("msg_a_", t.AddSeconds(-2));
        var c = Message("msg_c_", t.AddSeconds(-2));
        var zero = Message("msg_0_", t.AddSeconds(-1));
        var upperZ = Message("msg_Z_", t);
        var future = Message("msg_A_", t.AddSeconds(1));
        await AppendAsync(store, conversion, b, upperZ, future, a, zero, c);

        async Task<IEnumerable<string>> LeaseTwoAsync() =>
            (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t, maxCount: 2), None)).Select(m => m.Id);

        (await LeaseTwoAsync()).Should().BeEquivalentTo([a.Id, b.Id]);
        (await LeaseTwoAsync()).Should().BeEquivalentTo([c.Id, zero.Id]);
        (await LeaseTwoAsync()).Should().BeEquivalentTo([upperZ.Id]);
        (await LeaseTwoAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task LeaseOutboxMessages_MessageUnderALiveLease_IsNotLeasedAgain()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t);
        var first = (await LeaseAllAsync(store, t, 1, TimeSpan.FromMinutes(1)))[0];

        var second = await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t.AddMinutes(1).AddMilliseconds(-1)), None);

        second.Should().BeEmpty();
        (await store.GetOutboxMessageAsync(first.Id, None)).Should().BeEquivalentTo(first);
    }

    [Fact]
    public async Task LeaseOutboxMessages_LeaseThatEndsExactlyNow_CanBeReplacedByANewLease()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t);
        var first = (await LeaseAllAsync(store, t, 1, TimeSpan.FromSeconds(30)))[0];
        var request = ForwardingTestData.Lease(t.AddSeconds(30), TimeSpan.FromSeconds(45));

        var second = await store.LeaseOutboxMessagesAsync(request, None);

        var expected = first with { LeaseId = request.LeaseId, LeaseExpiresAt = t.AddSeconds(75) };
        second.Should().ContainSingle().Which.Should().BeEquivalentTo(expected);
        (await store.GetOutboxMessageAsync(first.Id, None)).Should().BeEquivalentTo(expected);
    }

    [Fact]
    public async Task LeaseOutboxMessages_MaxCountOutOfRange_ThrowsAndLeasesNothing()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t);

        foreach (var maxCount in new[] { 0, -1, 10_001 })
        {
            await Calling(() => store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t, maxCount: maxCount), None))
                .Should().ThrowAsync<ArgumentOutOfRangeException>("{0} is out of range", maxCount);
        }

        (await store.GetOutboxMessageAsync(messages[0].Id, None)).Should().BeEquivalentTo(messages[0]);
        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t, maxCount: 10_000), None)).Should().ContainSingle();
    }

    [Fact]
    public async Task LeaseOutboxMessages_DurationNotPositive_ThrowsAndLeasesNothing()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t);

        foreach (var duration in new[] { TimeSpan.Zero, TimeSpan.FromSeconds(-1) })
        {
            await Calling(() => store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t, duration), None))
                .Should().ThrowAsync<ArgumentOutOfRangeException>("a lease of {0} is not positive", duration);
        }

        (await store.GetOutboxMessageAsync(messages[0].Id, None)).Should().BeEquivalentTo(messages[0]);
    }

    [Fact]
    public async Task LeaseOutboxMessages_ConcurrentLeases_NeverLeaseAMessageTwiceAndTogetherLeaseAll()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var due = Enumerable.Range(0, ConcurrentlyLeasedMessages).Select(i => t.AddSeconds(i % 7)).ToArray();
        var messages = await AppendMessagesAsync(store, due);
        var now = t.AddMinutes(1);
        var leases = new ConcurrentBag<(string LeaseId, OutboxMessage Message)>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, ConcurrentLeasers).Select(_ => Task.Run(async () =>
        {
            await gate.Task;
            for (var call = 0; call < ConcurrentlyLeasedMessages; call++)
            {
                var request = ForwardingTestData.Lease(now, TimeSpan.FromHours(1), maxCount: 7);
                var batch = await store.LeaseOutboxMessagesAsync(request, None);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var message in batch)
                {
                    leases.Add((request.LeaseId, message));
                }
            }
        })).ToArray();

        gate.SetResult();
        await Task.WhenAll(workers);

        leases.Select(l => l.Message.Id).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(messages.Select(m => m.Id));
        leases.Should().OnlyContain(l => l.Message.LeaseId == l.LeaseId);
        foreach (var (leaseId, message) in leases)
        {
            (await store.GetOutboxMessageAsync(message.Id, None))!.LeaseId.Should().Be(leaseId);
        }

        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(now), None)).Should().BeEmpty();
    }

    [Fact]
    public async Task LeaseOutboxMessages_ExcludedRules_AreSkipped_TheirMessagesStayDueForALaterLease()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch.AddHours(1);
        var conversion = StoreTestData.Conversion();
        var busy = ForwardingTestData.Message(conversion.Id, StoreTestData.Epoch, t.AddSeconds(-3), ruleId: "rule_busy_" + StoreTestData.NewId());
        var alsoBusy = ForwardingTestData.Message(conversion.Id, StoreTestData.Epoch, t.AddSeconds(-2), ruleId: "rule_also_busy_" + StoreTestData.NewId());
        var free = ForwardingTestData.Message(conversion.Id, StoreTestData.Epoch, t.AddSeconds(-1));
        await AppendAsync(store, conversion, busy, alsoBusy, free);

        var leased = await store.LeaseOutboxMessagesAsync(
            ForwardingTestData.Lease(t, maxCount: 1) with { ExcludedRuleIds = [busy.RuleId, alsoBusy.RuleId, "rule_unknown"] }, None);

        leased.Select(m => m.Id).Should().Equal([free.Id], "the excluded rules' messages are due earlier but left out");
        (await store.GetOutboxMessageAsync(busy.Id, None)).Should().BeEquivalentTo(busy);
        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t) with { ExcludedRuleIds = [alsoBusy.RuleId] }, None))
            .Select(m => m.Id).Should().Equal(busy.Id);
        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t) with { ExcludedRuleIds = [] }, None))
            .Select(m => m.Id).Should().Equal(alsoBusy.Id);
    }

    // ---------------------------------------------------------------- renew and release

    [Fact]
    public async Task ExtendOutboxLease_RenewsTheListedMessagesThatHoldTheLease_AndNothingElse()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t, t);
        var leased = await LeaseAllAsync(store, t, 3, TimeSpan.FromSeconds(30));
        var expiresAt = t.AddTicks(412_345_670);

        var renewed = await store.ExtendOutboxLeaseAsync(leased[0].LeaseId!, [leased[0].Id, leased[1].Id, "msg_unknown"], expiresAt, None);

        renewed.Should().Be(2);
        (await store.GetOutboxMessageAsync(leased[0].Id, None)).Should().BeEquivalentTo(leased[0] with { LeaseExpiresAt = expiresAt });
        (await store.GetOutboxMessageAsync(leased[1].Id, None)).Should().BeEquivalentTo(leased[1] with { LeaseExpiresAt = expiresAt });
        (await store.GetOutboxMessageAsync(leased[2].Id, None)).Should().BeEquivalentTo(leased[2], "it was not listed");
        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t.AddSeconds(30)), None))
            .Select(m => m.Id).Should().Equal([leased[2].Id], "the renewed lease still lives when the first one would have ended");
        messages.Should().HaveCount(3);
    }

    [Fact]
    public async Task LeaseOutboxMessages_TwiceUnderOneLeaseId_HoldsBoth_WhichOneRenewalAndOneReleaseCover()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t.AddSeconds(5));
        var first = ForwardingTestData.Lease(t, TimeSpan.FromSeconds(30), maxCount: 10);
        (await store.LeaseOutboxMessagesAsync(first, None)).Should().ContainSingle();
        (await store.LeaseOutboxMessagesAsync(first with { Now = t.AddSeconds(5) }, None)).Should().ContainSingle();
        var ids = messages.Select(m => m.Id).ToArray();

        (await store.ExtendOutboxLeaseAsync(first.LeaseId, ids, t.AddMinutes(1), None)).Should().Be(2);
        (await store.ListOutboxMessagesAsync(new OutboxQuery(), None)).Should().OnlyContain(m => m.LeaseId == first.LeaseId && m.LeaseExpiresAt == t.AddMinutes(1));
        (await store.ReleaseOutboxLeaseAsync(first.LeaseId, ids, None)).Should().Be(2);
        (await store.ListOutboxMessagesAsync(new OutboxQuery(), None)).Should().BeEquivalentTo(messages);
    }

    [Fact]
    public async Task ExtendOutboxLease_UnderAnEndedLeaseTheMessageStillHolds_RenewsIt()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t);
        var leased = (await LeaseAllAsync(store, t, 1, TimeSpan.FromSeconds(30)))[0];

        (await store.ExtendOutboxLeaseAsync(leased.LeaseId!, [leased.Id], t.AddSeconds(70), None)).Should().Be(1);

        (await store.GetOutboxMessageAsync(leased.Id, None))!.LeaseExpiresAt.Should().Be(t.AddSeconds(70));
        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t.AddSeconds(45)), None)).Should().BeEmpty();
    }

    [Fact]
    public async Task ExtendOutboxLease_OfAnotherLease_OrOfACompletedMessage_ChangesNothing()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t, t);
        var leased = await LeaseAllAsync(store, t, 2, TimeSpan.FromSeconds(30));
        await store.CompleteOutboxAttemptsAsync(
            [Completion(leased[1], ForwardingTestData.Delivered(leased[1].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1))], None);
        var delivered = await store.GetOutboxMessageAsync(leased[1].Id, None);

        (await store.ExtendOutboxLeaseAsync("lease_other", [leased[0].Id], t.AddHours(1), None)).Should().Be(0);
        (await store.ExtendOutboxLeaseAsync(leased[1].LeaseId!, [leased[1].Id], t.AddHours(1), None)).Should().Be(0);
        (await store.ExtendOutboxLeaseAsync(leased[0].LeaseId!, [], t.AddHours(1), None)).Should().Be(0);

        (await store.GetOutboxMessageAsync(leased[0].Id, None)).Should().BeEquivalentTo(leased[0]);
        (await store.GetOutboxMessageAsync(leased[1].Id, None)).Should().BeEquivalentTo(delivered);
    }

    [Fact]
    public async Task ExtendOutboxLease_AfterTheLeaseWasTakenOver_ChangesNothing()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t);
        var first = (await LeaseAllAsync(store, t, 1, TimeSpan.FromSeconds(30)))[0];
        var second = (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t.AddSeconds(30)), None)).Single();

        (await store.ExtendOutboxLeaseAsync(first.LeaseId!, [first.Id], t.AddHours(1), None)).Should().Be(0);

        (await store.GetOutboxMessageAsync(first.Id, None)).Should().BeEquivalentTo(second);
    }

    [Fact]
    public async Task ReleaseOutboxLease_ClearsTheListedMessagesLease_SoTheyAreLeasedAgainAtOnce_KeepingEverythingElse()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t.AddSeconds(1), t.AddSeconds(2));
        var leased = await LeaseAllAsync(store, t.AddSeconds(2), 3, TimeSpan.FromMinutes(5));
        var byId = messages.ToDictionary(m => m.Id);

        var released = await store.ReleaseOutboxLeaseAsync(leased[0].LeaseId!, [leased[0].Id, leased[2].Id, "msg_unknown"], None);

        released.Should().Be(2);
        (await store.GetOutboxMessageAsync(leased[0].Id, None)).Should().BeEquivalentTo(byId[leased[0].Id]);
        (await store.GetOutboxMessageAsync(leased[2].Id, None)).Should().BeEquivalentTo(byId[leased[2].Id]);
        (await store.GetOutboxMessageAsync(leased[1].Id, None)).Should().BeEquivalentTo(leased[1], "it was not listed");
        (await store.ListOutboxAttemptsAsync(leased[0].Id, None)).Should().BeEmpty("a release records no attempt");
        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t.AddSeconds(3)), None))
            .Select(m => m.Id).Should().BeEquivalentTo([leased[0].Id, leased[2].Id]);
    }

    [Fact]
    public async Task ReleaseOutboxLease_OfAnotherLease_OrOfACompletedMessage_ChangesNothing()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t, t);
        var leased = await LeaseAllAsync(store, t, 2, TimeSpan.FromSeconds(30));
        await store.CompleteOutboxAttemptsAsync(
            [Completion(leased[1], ForwardingTestData.Refused(leased[1].Id, 1, t), OutboxMessageStatus.DeadLettered, t.AddSeconds(1))], None);
        var deadLetter = await store.GetOutboxMessageAsync(leased[1].Id, None);

        (await store.ReleaseOutboxLeaseAsync("lease_other", [leased[0].Id], None)).Should().Be(0);
        (await store.ReleaseOutboxLeaseAsync(leased[1].LeaseId!, [leased[1].Id], None)).Should().Be(0);
        (await store.ReleaseOutboxLeaseAsync(leased[0].LeaseId!, [], None)).Should().Be(0);

        (await store.GetOutboxMessageAsync(leased[0].Id, None)).Should().BeEquivalentTo(leased[0]);
        (await store.GetOutboxMessageAsync(leased[1].Id, None)).Should().BeEquivalentTo(deadLetter);
    }

    [Fact]
    public async Task ExtendAndReleaseOutboxLease_InvalidArguments_ThrowAndChangeNothing()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t);
        var leased = (await LeaseAllAsync(store, t, 1))[0];

        await Calling(() => store.ExtendOutboxLeaseAsync("", [leased.Id], t.AddHours(1), None)).Should().ThrowAsync<ArgumentException>();
        await Calling(() => store.ExtendOutboxLeaseAsync(null!, [leased.Id], t.AddHours(1), None)).Should().ThrowAsync<ArgumentNullException>();
        await Calling(() => store.ExtendOutboxLeaseAsync(leased.LeaseId!, null!, t.AddHours(1), None)).Should().ThrowAsync<ArgumentNullException>();
        await Calling(() => store.ExtendOutboxLeaseAsync(leased.LeaseId!, [leased.Id, null!], t.AddHours(1), None)).Should().ThrowAsync<ArgumentException>();
        await Calling(() => store.ReleaseOutboxLeaseAsync("", [leased.Id], None)).Should().ThrowAsync<ArgumentException>();
        await Calling(() => store.ReleaseOutboxLeaseAsync(leased.LeaseId!, null!, None)).Should().ThrowAsync<ArgumentNullException>();
        await Calling(() => store.ReleaseOutboxLeaseAsync(leased.LeaseId!, [leased.Id, null!], None)).Should().ThrowAsync<ArgumentException>();

        (await store.GetOutboxMessageAsync(leased.Id, None)).Should().BeEquivalentTo(leased);
    }

    // ---------------------------------------------------------------- complete

    [Fact]
    public async Task CompleteOutboxAttempts_Delivered_SetsStatusCountAndCompletionTime_ClearsLeaseKeepsNextAttemptAt()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var attempt = ForwardingTestData.Delivered(message.Id, 1, t.AddSeconds(1));

        var applied = await store.CompleteOutboxAttemptsAsync(
            [Completion(leased, attempt, OutboxMessageStatus.Delivered, t.AddTicks(12_345_670), t.AddHours(1))], None);

        applied.Should().Be(1);
        var expected = message with { Status = OutboxMessageStatus.Delivered, AttemptCount = 1, CompletedAt = t.AddTicks(12_345_670) };
        var stored = await store.GetOutboxMessageAsync(message.Id, None);
        stored.Should().BeEquivalentTo(expected);
        stored!.NextAttemptAt.Should().Be(t, "a delivered completion's next attempt time is ignored");
        stored.CompletedAt.Should().Be(t.AddTicks(12_345_670));
        stored.LeaseId.Should().BeNull();
        stored.LeaseExpiresAt.Should().BeNull();
        stored.LastErrorCode.Should().BeNull();
        stored.LastError.Should().BeNull();
        (await store.ListOutboxAttemptsAsync(message.Id, None)).Should().ContainSingle().Which.Should().BeEquivalentTo(attempt);
    }

    [Fact]
    public async Task CompleteOutboxAttempts_PendingRetry_SetsNextAttemptAtAndLastError_ClearsLease()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var attempt = ForwardingTestData.TimedOut(message.Id, 1, t);
        var retryAt = t.AddSeconds(30).AddTicks(10);

        var applied = await store.CompleteOutboxAttemptsAsync(
            [Completion(leased, attempt, OutboxMessageStatus.Pending, t.AddSeconds(10), retryAt)], None);

        applied.Should().Be(1);
        var expected = message with
        {
            AttemptCount = 1,
            LastErrorCode = DeliveryErrorCodes.Timeout,
            LastError = attempt.Reason,
            NextAttemptAt = retryAt,
        };
        var stored = await store.GetOutboxMessageAsync(message.Id, None);
        stored.Should().BeEquivalentTo(expected);
        stored!.Status.Should().Be(OutboxMessageStatus.Pending);
        stored.CompletedAt.Should().BeNull();
        stored.NextAttemptAt.Should().Be(retryAt);
        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(retryAt.AddTicks(-10)), None)).Should().BeEmpty();
        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(retryAt), None)).Should().ContainSingle().Which.Id.Should().Be(message.Id);
    }

    [Fact]
    public async Task CompleteOutboxAttempts_DeadLetter_SetsStatusErrorAndCompletionTime_KeepsNextAttemptAt()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var attempt = ForwardingTestData.Refused(message.Id, 1, t);

        var applied = await store.CompleteOutboxAttemptsAsync(
            [Completion(leased, attempt, OutboxMessageStatus.DeadLettered, t.AddSeconds(2), t.AddHours(1))], None);

        applied.Should().Be(1);
        var expected = message with
        {
            Status = OutboxMessageStatus.DeadLettered,
            AttemptCount = 1,
            LastErrorCode = DeliveryErrorCodes.DestinationError,
            LastError = attempt.Reason,
            CompletedAt = t.AddSeconds(2),
        };
        (await store.GetOutboxMessageAsync(message.Id, None)).Should().BeEquivalentTo(expected);
        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t.AddDays(1)), None)).Should().BeEmpty();
    }

    [Fact]
    public async Task CompleteOutboxAttempts_SeveralCompletions_RecordEveryAttemptWithAllValues_ListedByNumber()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t);
        var leased = await LeaseAllAsync(store, t, 2);
        var first = ForwardingTestData.Refused(messages[0].Id, 1, t.AddTicks(10)) with { Status = DeliveryStatus.Retry };
        var other = ForwardingTestData.TimedOut(messages[1].Id, 1, t);
        await store.CompleteOutboxAttemptsAsync(
        [
            Completion(leased.Single(m => m.Id == messages[0].Id), first, OutboxMessageStatus.Pending, t.AddSeconds(2), t.AddSeconds(5)),
            Completion(leased.Single(m => m.Id == messages[1].Id), other, OutboxMessageStatus.Pending, t.AddSeconds(10), t.AddDays(1)),
        ], None);
        var second = ForwardingTestData.TimedOut(messages[0].Id, 2, t.AddSeconds(5));
        var third = ForwardingTestData.Delivered(messages[0].Id, 3, t.AddSeconds(20));

        var leasedAgain = (await LeaseAllAsync(store, t.AddSeconds(5), 1))[0];
        (await store.CompleteOutboxAttemptsAsync(
            [Completion(leasedAgain, second, OutboxMessageStatus.Pending, t.AddSeconds(15), t.AddSeconds(20))], None)).Should().Be(1);
        var leasedThird = (await LeaseAllAsync(store, t.AddSeconds(20), 1))[0];
        (await store.CompleteOutboxAttemptsAsync(
            [Completion(leasedThird, third, OutboxMessageStatus.Delivered, t.AddSeconds(21))], None)).Should().Be(1);

        var attempts = await store.ListOutboxAttemptsAsync(messages[0].Id, None);
        attempts.Should().BeEquivalentTo([first, second, third], o => o.WithStrictOrdering());
        attempts[0].DestinationError.Should().BeEquivalentTo(first.DestinationError);
        attempts[0].Duration.Should().Be(TimeSpan.FromTicks(1_234_560));
        attempts[0].StartedAt.Should().Be(t.AddTicks(10));
        (await store.ListOutboxAttemptsAsync(messages[1].Id, None)).Should().ContainSingle().Which.Should().BeEquivalentTo(other);
        var stored = await store.GetOutboxMessageAsync(messages[0].Id, None);
        stored.Should().BeEquivalentTo(messages[0] with
        {
            Status = OutboxMessageStatus.Delivered,
            AttemptCount = 3,
            NextAttemptAt = t.AddSeconds(20),
            CompletedAt = t.AddSeconds(21),
        });
    }

    [Fact]
    public async Task CompleteOutboxAttempts_WithAnotherLeaseOrNoLease_IsSkippedAndStoresNothing()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t.AddDays(1));
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var wrongLease = Completion(leased, ForwardingTestData.Delivered(leased.Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1))
            with { LeaseId = "lease_" + StoreTestData.NewId() };
        var unleased = new OutboxCompletion
        {
            LeaseId = leased.LeaseId!,
            Attempt = ForwardingTestData.Delivered(messages[1].Id, 1, t),
            Status = OutboxMessageStatus.Delivered,
            CompletedAt = t.AddSeconds(1),
        };

        (await store.CompleteOutboxAttemptsAsync([wrongLease, unleased], None)).Should().Be(0);

        (await store.GetOutboxMessageAsync(leased.Id, None)).Should().BeEquivalentTo(leased);
        (await store.GetOutboxMessageAsync(messages[1].Id, None)).Should().BeEquivalentTo(messages[1]);
        (await store.ListOutboxAttemptsAsync(leased.Id, None)).Should().BeEmpty();
        (await store.ListOutboxAttemptsAsync(messages[1].Id, None)).Should().BeEmpty();
    }

    [Fact]
    public async Task CompleteOutboxAttempts_UnderALeaseThatWasReplaced_IsSkipped()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t);
        var expired = (await LeaseAllAsync(store, t, 1, TimeSpan.FromSeconds(30)))[0];
        var current = (await LeaseAllAsync(store, t.AddSeconds(31), 1))[0];

        var applied = await store.CompleteOutboxAttemptsAsync(
            [Completion(expired, ForwardingTestData.Delivered(expired.Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(40))], None);

        applied.Should().Be(0);
        (await store.GetOutboxMessageAsync(current.Id, None)).Should().BeEquivalentTo(current);
        (await store.ListOutboxAttemptsAsync(current.Id, None)).Should().BeEmpty();
    }

    [Fact]
    public async Task CompleteOutboxAttempts_UnderAnEndedLeaseTheMessageStillHolds_Applies()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1, TimeSpan.FromSeconds(30)))[0];
        var attempt = ForwardingTestData.Delivered(message.Id, 1, t.AddSeconds(1));

        var applied = await store.CompleteOutboxAttemptsAsync(
            [Completion(leased, attempt, OutboxMessageStatus.Delivered, t.AddMinutes(5))], None);

        applied.Should().Be(1);
        (await store.GetOutboxMessageAsync(message.Id, None)).Should().BeEquivalentTo(
            message with { Status = OutboxMessageStatus.Delivered, AttemptCount = 1, CompletedAt = t.AddMinutes(5) });
    }

    [Fact]
    public async Task CompleteOutboxAttempts_CompletedOrUnknownMessage_IsSkipped()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var delivered = Completion(leased, ForwardingTestData.Delivered(message.Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1));
        (await store.CompleteOutboxAttemptsAsync([delivered], None)).Should().Be(1);
        var stored = await store.GetOutboxMessageAsync(message.Id, None);
        var again = Completion(leased, ForwardingTestData.Refused(message.Id, 2, t.AddSeconds(2)), OutboxMessageStatus.DeadLettered, t.AddSeconds(3));
        var unknownId = "msg_" + StoreTestData.NewId();
        var unknown = Completion(leased, ForwardingTestData.Delivered(unknownId, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(3));

        (await store.CompleteOutboxAttemptsAsync([again, unknown], None)).Should().Be(0);

        (await store.GetOutboxMessageAsync(message.Id, None)).Should().BeEquivalentTo(stored);
        (await store.ListOutboxAttemptsAsync(message.Id, None)).Should().ContainSingle().Which.Number.Should().Be(1);
        (await store.ListOutboxAttemptsAsync(unknownId, None)).Should().BeEmpty();
        (await store.GetOutboxMessageAsync(unknownId, None)).Should().BeNull();
    }

    [Fact]
    public async Task CompleteOutboxAttempts_MixedBatch_AppliesTheValidOnesAndReturnsTheirCount()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t, t, t);
        var leased = await LeaseAllAsync(store, t, 4);
        OutboxCompletion[] completions =
        [
            Completion(leased[0], ForwardingTestData.Delivered(leased[0].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1)),
            Completion(leased[1], ForwardingTestData.TimedOut(leased[1].Id, 1, t), OutboxMessageStatus.Pending, t.AddSeconds(1), t.AddMinutes(1)),
            Completion(leased[2], ForwardingTestData.Delivered(leased[2].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1))
                with { LeaseId = "lease_" + StoreTestData.NewId() },
            Completion(leased[3], ForwardingTestData.Refused(leased[3].Id, 1, t), OutboxMessageStatus.DeadLettered, t.AddSeconds(1)),
            Completion(leased[0], ForwardingTestData.Delivered("msg_" + StoreTestData.NewId(), 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1)),
        ];

        (await store.CompleteOutboxAttemptsAsync(completions, None)).Should().Be(3);

        (await store.GetOutboxMessageAsync(leased[0].Id, None))!.Status.Should().Be(OutboxMessageStatus.Delivered);
        (await store.GetOutboxMessageAsync(leased[1].Id, None))!.NextAttemptAt.Should().Be(t.AddMinutes(1));
        (await store.GetOutboxMessageAsync(leased[2].Id, None)).Should().BeEquivalentTo(leased[2]);
        (await store.GetOutboxMessageAsync(leased[3].Id, None))!.Status.Should().Be(OutboxMessageStatus.DeadLettered);
        (await store.ListOutboxAttemptsAsync(leased[2].Id, None)).Should().BeEmpty();
        messages.Should().HaveCount(4);
    }

    [Fact]
    public async Task CompleteOutboxAttempts_PendingWithoutNextAttemptAt_ThrowsAndAppliesNothing()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t, t);
        var leased = await LeaseAllAsync(store, t, 2);
        OutboxCompletion[] completions =
        [
            Completion(leased[0], ForwardingTestData.Delivered(leased[0].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1)),
            Completion(leased[1], ForwardingTestData.TimedOut(leased[1].Id, 1, t), OutboxMessageStatus.Pending, t.AddSeconds(1)),
        ];

        await Calling(() => store.CompleteOutboxAttemptsAsync(completions, None)).Should().ThrowAsync<ArgumentException>();

        await ShouldBeUntouchedAsync(store, leased);
    }

    [Fact]
    public async Task CompleteOutboxAttempts_TwoCompletionsForOneMessage_ThrowsAndAppliesNothing()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t, t);
        var leased = await LeaseAllAsync(store, t, 2);
        OutboxCompletion[] completions =
        [
            Completion(leased[0], ForwardingTestData.Delivered(leased[0].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1)),
            Completion(leased[1], ForwardingTestData.TimedOut(leased[1].Id, 1, t), OutboxMessageStatus.Pending, t.AddSeconds(1), t.AddMinutes(1)),
            Completion(leased[1], ForwardingTestData.Delivered(leased[1].Id, 2, t), OutboxMessageStatus.Delivered, t.AddSeconds(2)),
        ];

        await Calling(() => store.CompleteOutboxAttemptsAsync(completions, None)).Should().ThrowAsync<ArgumentException>();

        await ShouldBeUntouchedAsync(store, leased);
    }

    // ---------------------------------------------------------------- get and list

    [Fact]
    public async Task GetOutboxMessage_UnknownId_ReturnsNullAndHasNoAttempts()
    {
        var store = await CreateStoreAsync();
        var messages = await AppendMessagesAsync(store, StoreTestData.Epoch);

        (await store.GetOutboxMessageAsync("msg_" + StoreTestData.NewId(), None)).Should().BeNull();
        (await store.GetOutboxMessageAsync(messages[0].Id.ToUpperInvariant(), None)).Should().BeNull();
        (await store.ListOutboxAttemptsAsync("msg_" + StoreTestData.NewId(), None)).Should().BeEmpty();
    }

    [Fact]
    public async Task ListOutboxMessages_EmptyStore_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();

        (await store.ListOutboxMessagesAsync(new OutboxQuery(), None)).Should().BeEmpty();
    }

    [Fact]
    public async Task ListOutboxMessages_ReturnsNewestFirst_TiesBrokenByIdDescending()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var first = StoreTestData.Conversion();
        var second = StoreTestData.Conversion();
        OutboxMessage[] firstMessages =
        [
            ForwardingTestData.Message(first.Id, t.AddSeconds(1), id: "msg_a_" + StoreTestData.NewId()),
            ForwardingTestData.Message(first.Id, t, id: "msg_Z_" + StoreTestData.NewId()),
            ForwardingTestData.Message(first.Id, t.AddSeconds(1), id: "msg_B_" + StoreTestData.NewId()),
        ];
        OutboxMessage[] secondMessages =
        [
            ForwardingTestData.Message(second.Id, t, id: "msg_y_" + StoreTestData.NewId()),
            ForwardingTestData.Message(second.Id, t.AddMilliseconds(1), id: "msg_0_" + StoreTestData.NewId()),
        ];
        await AppendAsync(store, first, firstMessages);
        await AppendAsync(store, second, secondMessages);

        var listed = await store.ListOutboxMessagesAsync(new OutboxQuery(), None);

        listed.Select(m => m.Id).Should().Equal(
            firstMessages[0].Id, firstMessages[2].Id, secondMessages[1].Id, secondMessages[0].Id, firstMessages[1].Id);
        listed[0].Should().BeEquivalentTo(firstMessages[0]);
    }

    [Fact]
    public async Task ListOutboxMessages_FiltersByStatus()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t, t, t.AddHours(1), t.AddHours(1));
        var leased = await LeaseAllAsync(store, t, 3);
        await store.CompleteOutboxAttemptsAsync(
        [
            Completion(leased[0], ForwardingTestData.Delivered(leased[0].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1)),
            Completion(leased[1], ForwardingTestData.Refused(leased[1].Id, 1, t), OutboxMessageStatus.DeadLettered, t.AddSeconds(1)),
        ], None);

        async Task<IEnumerable<string>> ListAsync(OutboxMessageStatus status) =>
            (await store.ListOutboxMessagesAsync(new OutboxQuery { Status = status }, None)).Select(m => m.Id);

        (await ListAsync(OutboxMessageStatus.Delivered)).Should().Equal(leased[0].Id);
        (await ListAsync(OutboxMessageStatus.DeadLettered)).Should().Equal(leased[1].Id);
        (await ListAsync(OutboxMessageStatus.Pending)).Should().BeEquivalentTo([leased[2].Id, messages[3].Id, messages[4].Id]);
        (await store.ListOutboxMessagesAsync(new OutboxQuery(), None)).Should().HaveCount(5);
    }

    [Fact]
    public async Task ListOutboxMessages_FiltersByConversionAndRule()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var ruleA = "rule_" + StoreTestData.NewId();
        var ruleB = "rule_" + StoreTestData.NewId();
        var first = StoreTestData.Conversion();
        var second = StoreTestData.Conversion();
        var firstA = ForwardingTestData.Message(first.Id, t, ruleId: ruleA);
        var firstB = ForwardingTestData.Message(first.Id, t.AddSeconds(1), ruleId: ruleB);
        var secondA = ForwardingTestData.Message(second.Id, t.AddSeconds(2), ruleId: ruleA);
        await AppendAsync(store, first, firstA, firstB);
        await AppendAsync(store, second, secondA);

        async Task<IEnumerable<string>> ListAsync(string? conversionId, string? ruleId) =>
            (await store.ListOutboxMessagesAsync(new OutboxQuery { ConversionId = conversionId, RuleId = ruleId }, None)).Select(m => m.Id);

        (await ListAsync(first.Id, null)).Should().Equal(firstB.Id, firstA.Id);
        (await ListAsync(second.Id, null)).Should().Equal(secondA.Id);
        (await ListAsync(null, ruleA)).Should().Equal(secondA.Id, firstA.Id);
        (await ListAsync(null, ruleB)).Should().Equal(firstB.Id);
        (await ListAsync(first.Id, ruleA)).Should().Equal(firstA.Id);
        (await ListAsync(second.Id, ruleB)).Should().BeEmpty();
        (await ListAsync("conv_" + StoreTestData.NewId(), null)).Should().BeEmpty();
        (await ListAsync(first.Id.ToUpperInvariant(), null)).Should().BeEmpty();
    }

    [Fact]
    public async Task ListOutboxMessages_BeforeId_PagesThroughTheMatchesAndAcceptsACursorThatDoesNotMatch()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var rule = "rule_" + StoreTestData.NewId();
        var conversion = StoreTestData.Conversion();
        var messages = Enumerable.Range(0, 9)
            .Select(i => ForwardingTestData.Message(conversion.Id, t.AddSeconds(i / 2), ruleId: i % 3 == 0 ? "rule_" + StoreTestData.NewId() : rule))
            .ToArray();
        await AppendAsync(store, conversion, messages);
        var all = NewestFirstMessages(messages);
        var matching = NewestFirstMessages(messages.Where(m => m.RuleId == rule));
        var query = new OutboxQuery { RuleId = rule, Status = OutboxMessageStatus.Pending, Limit = 2 };

        var page1 = await store.ListOutboxMessagesAsync(query, None);
        var page2 = await store.ListOutboxMessagesAsync(query with { BeforeId = page1[^1].Id }, None);
        var page3 = await store.ListOutboxMessagesAsync(query with { BeforeId = page2[^1].Id }, None);
        var page4 = await store.ListOutboxMessagesAsync(query with { BeforeId = page3[^1].Id }, None);

        page1.Concat(page2).Concat(page3).Concat(page4).Select(m => m.Id).Should().Equal(matching);
        (await store.ListOutboxMessagesAsync(query with { BeforeId = matching[^1] }, None)).Should().BeEmpty();
        var cursor = all.First(id => !matching.Contains(id) && id != all[0]);
        var afterCursor = all.SkipWhile(id => id != cursor).Skip(1).Where(matching.Contains).Take(2);
        (await store.ListOutboxMessagesAsync(query with { BeforeId = cursor }, None)).Select(m => m.Id).Should().Equal(afterCursor);
    }

    [Fact]
    public async Task ListOutboxMessages_BeforeAnUnknownId_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();
        await AppendMessagesAsync(store, StoreTestData.Epoch, StoreTestData.Epoch);

        (await store.ListOutboxMessagesAsync(new OutboxQuery { BeforeId = "msg_" + StoreTestData.NewId() }, None)).Should().BeEmpty();
    }

    [Fact]
    public async Task ListOutboxMessages_AppliesTheLimit_AndRejectsALimitOutOfRange()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t, t);
        var conversion = StoreTestData.Conversion();
        var newest = ForwardingTestData.Message(conversion.Id, t.AddSeconds(1));
        await AppendAsync(store, conversion, newest);

        (await store.ListOutboxMessagesAsync(new OutboxQuery { Limit = 1 }, None)).Select(m => m.Id).Should().Equal(newest.Id);
        (await store.ListOutboxMessagesAsync(new OutboxQuery { Limit = 1000 }, None)).Should().HaveCount(messages.Length + 1);
        await Calling(() => store.ListOutboxMessagesAsync(new OutboxQuery { Limit = 0 }, None)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await Calling(() => store.ListOutboxMessagesAsync(new OutboxQuery { Limit = 1001 }, None)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    // ---------------------------------------------------------------- retry

    [Fact]
    public async Task RetryOutboxMessage_DeadLetter_BecomesPendingNowWithANewHorizon_KeepsAttemptsAndLastError()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var attempt = ForwardingTestData.Refused(message.Id, 1, t);
        await store.CompleteOutboxAttemptsAsync([Completion(leased, attempt, OutboxMessageStatus.DeadLettered, t.AddSeconds(2))], None);
        var now = t.AddHours(1).AddTicks(10);

        var retried = await store.RetryOutboxMessageAsync(message.Id, now, None);

        var expected = message with
        {
            Status = OutboxMessageStatus.Pending,
            NextAttemptAt = now,
            RetryFrom = now,
            AttemptCount = 1,
            LastErrorCode = DeliveryErrorCodes.DestinationError,
            LastError = attempt.Reason,
            CompletedAt = null,
        };
        retried.Should().BeEquivalentTo(expected);
        (await store.GetOutboxMessageAsync(message.Id, None)).Should().BeEquivalentTo(expected);
        (await store.ListOutboxAttemptsAsync(message.Id, None)).Should().ContainSingle();
        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(now), None)).Should().ContainSingle().Which.Id.Should().Be(message.Id);
    }

    [Fact]
    public async Task RetryOutboxMessage_PendingAndUnleased_IsDueNow_KeepsEverythingElse()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var attempt = ForwardingTestData.TimedOut(message.Id, 1, t);
        await store.CompleteOutboxAttemptsAsync(
            [Completion(leased, attempt, OutboxMessageStatus.Pending, t.AddSeconds(10), t.AddDays(1))], None);
        var waiting = await store.GetOutboxMessageAsync(message.Id, None);
        var now = t.AddSeconds(15);

        var retried = await store.RetryOutboxMessageAsync(message.Id, now, None);

        var expected = waiting! with { NextAttemptAt = now };
        retried.Should().BeEquivalentTo(expected);
        retried!.RetryFrom.Should().Be(message.RetryFrom);
        retried.AttemptCount.Should().Be(1);
        (await store.GetOutboxMessageAsync(message.Id, None)).Should().BeEquivalentTo(expected);
        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(now), None)).Should().ContainSingle().Which.Id.Should().Be(message.Id);
    }

    [Fact]
    public async Task RetryOutboxMessage_PendingUnderAnEndedLease_IsDueNow()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        await LeaseAllAsync(store, t, 1, TimeSpan.FromSeconds(10));
        var now = t.AddSeconds(10);

        var retried = await store.RetryOutboxMessageAsync(message.Id, now, None);

        retried!.Status.Should().Be(OutboxMessageStatus.Pending);
        retried.NextAttemptAt.Should().Be(now);
        retried.RetryFrom.Should().Be(message.RetryFrom);
        (await store.GetOutboxMessageAsync(message.Id, None))!.NextAttemptAt.Should().Be(now);
    }

    [Fact]
    public async Task RetryOutboxMessage_UnderALiveLease_IsLeftAsItIs()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var conversion = StoreTestData.Conversion();
        var message = ForwardingTestData.Message(conversion.Id, t.AddSeconds(-5), t);
        await AppendAsync(store, conversion, message);
        var leased = (await LeaseAllAsync(store, t, 1, TimeSpan.FromMinutes(1)))[0];

        var retried = await store.RetryOutboxMessageAsync(message.Id, t.AddSeconds(30), None);

        retried.Should().BeEquivalentTo(leased);
        (await store.GetOutboxMessageAsync(message.Id, None)).Should().BeEquivalentTo(leased);
    }

    [Fact]
    public async Task RetryOutboxMessage_Delivered_IsLeftAsItIs()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        await store.CompleteOutboxAttemptsAsync(
            [Completion(leased, ForwardingTestData.Delivered(message.Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1))], None);
        var delivered = await store.GetOutboxMessageAsync(message.Id, None);

        var retried = await store.RetryOutboxMessageAsync(message.Id, t.AddHours(1), None);

        retried.Should().BeEquivalentTo(delivered);
        retried!.Status.Should().Be(OutboxMessageStatus.Delivered);
        (await store.GetOutboxMessageAsync(message.Id, None)).Should().BeEquivalentTo(delivered);
        (await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(t.AddHours(1)), None)).Should().BeEmpty();
    }

    [Fact]
    public async Task RetryOutboxMessage_UnknownId_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        await AppendMessagesAsync(store, StoreTestData.Epoch);

        (await store.RetryOutboxMessageAsync("msg_" + StoreTestData.NewId(), StoreTestData.Epoch, None)).Should().BeNull();
        (await store.ListOutboxMessagesAsync(new OutboxQuery(), None)).Should().ContainSingle();
    }

    // ---------------------------------------------------------------- helpers

    private static async Task<OutboxMessage[]> AppendMessagesAsync(PostbackStore store, params DateTimeOffset[] dueAt)
    {
        var conversion = StoreTestData.Conversion();
        var messages = dueAt.Select(due => ForwardingTestData.Message(conversion.Id, StoreTestData.Epoch.AddDays(-1), due)).ToArray();
        await AppendAsync(store, conversion, messages);
        return messages;
    }

    private static async Task AppendAsync(PostbackStore store, ConversionRecord conversion, params OutboxMessage[] messages)
    {
        var result = await store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion), messages, None);
        result.Should().Be(ConversionAppendResult.Accepted(conversion.Id));
    }

    /// <summary>Leases every due message, expecting exactly <paramref name="count"/>, in id order.</summary>
    private static async Task<OutboxMessage[]> LeaseAllAsync(PostbackStore store, DateTimeOffset now, int count, TimeSpan? duration = null)
    {
        var leased = await store.LeaseOutboxMessagesAsync(ForwardingTestData.Lease(now, duration, maxCount: 10_000), None);
        leased.Should().HaveCount(count);
        return [.. leased.OrderBy(m => m.Id, StringComparer.Ordinal)];
    }

    private static OutboxCompletion Completion(
        OutboxMessage leased,
        OutboxAttempt attempt,
        OutboxMessageStatus status,
        DateTimeOffset completedAt,
        DateTimeOffset? nextAttemptAt = null) => new()
        {
            LeaseId = leased.LeaseId!,
            Attempt = attempt,
            Status = status,
            CompletedAt = completedAt,
            NextAttemptAt = nextAttemptAt,
        };

    private static async Task ShouldHaveStoredNothingAsync(PostbackStore store, ConversionRecord conversion, PostbackLogEntry entry, params OutboxMessage[] messages)
    {
        (await store.GetConversionAsync(conversion.Id, None)).Should().BeNull();
        (await store.GetLogEntryAsync(entry.Id, None)).Should().BeNull();
        foreach (var message in messages)
        {
            (await store.GetOutboxMessageAsync(message.Id, None)).Should().BeNull();
        }

        (await store.ListOutboxMessagesAsync(new OutboxQuery(), None)).Should().BeEmpty();
        (await store.ListLogAsync(new PostbackLogQuery { SetId = conversion.Conversion.SetId }, None)).Should().BeEmpty();
        var retry = StoreTestData.Retry(conversion);
        (await store.AppendConversionAsync(retry, StoreTestData.LogEntryFor(retry), None))
            .Should().Be(ConversionAppendResult.Accepted(retry.Id), "the failed append did not claim the key");
    }

    private static async Task ShouldBeUntouchedAsync(PostbackStore store, IEnumerable<OutboxMessage> leased)
    {
        foreach (var message in leased)
        {
            (await store.GetOutboxMessageAsync(message.Id, None)).Should().BeEquivalentTo(message);
            (await store.ListOutboxAttemptsAsync(message.Id, None)).Should().BeEmpty();
        }
    }

    private static string[] NewestFirstMessages(IEnumerable<OutboxMessage> messages) =>
    [
        .. messages
            .OrderByDescending(m => m.CreatedAt)
            .ThenByDescending(m => m.Id, StringComparer.Ordinal)
            .Select(m => m.Id),
    ];

    private static void ShouldMatch(ForwardingRule? actual, ForwardingRule expected)
    {
        actual.Should().NotBeNull();
        actual.Should().BeEquivalentTo(expected, o => o.Excluding(r => r.Settings));
        actual!.CreatedAt.Should().Be(expected.CreatedAt);
        actual.Settings.ValueKind.Should().Be(JsonValueKind.Object);
        JsonElement.DeepEquals(actual.Settings, expected.Settings).Should().BeTrue(
            "settings {0} should equal {1}", actual.Settings.GetRawText(), expected.Settings.GetRawText());
    }
}
