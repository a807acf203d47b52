using System.Text.Json;
using Chatterfy.Postbacks.Forwarding;

namespace Chatterfy.Postbacks.Storage.Conformance;

// ForwardingRuleStore: forwarding rules; their settings are kept as their exact JSON text, and their outbox messages
// outlive them.
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>A set's forwarding rule added is read back and listed with all its values.</summary>
    [Fact]
    public async Task AddForwardingRule_SetRule_GetAndListReturnAllValues()
    {
        var store = await NewStorageAsync();
        var rule = ForwardingTestData.SetRule(StoreTestData.Epoch.AddTicks(1_234_560));

        await store.ForwardingRules.AddAsync(rule, None);

        ShouldMatch(await store.ForwardingRules.GetAsync(rule.Id, None), rule);
        ShouldMatch((await store.ForwardingRules.ListAsync(None)).Should().ContainSingle().Subject, rule);
    }

    /// <summary>A campaign's rule without a name and with empty settings round-trips.</summary>
    [Fact]
    public async Task AddForwardingRule_CampaignRuleWithoutNameAndWithEmptySettings_RoundTrips()
    {
        var store = await NewStorageAsync();
        var rule = ForwardingTestData.CampaignRule() with { Name = null, Settings = StoreTestData.Json("{}") };

        await store.ForwardingRules.AddAsync(rule, None);

        var stored = await store.ForwardingRules.GetAsync(rule.Id, None);
        ShouldMatch(stored, rule);
        stored!.SetId.Should().BeNull();
        stored.CampaignId.Should().Be(rule.CampaignId);
        stored.Name.Should().BeNull();
    }

    /// <summary>Adding a rule whose id is used throws <see cref="InvalidOperationException"/> and keeps the first rule.</summary>
    [Fact]
    public async Task AddForwardingRule_WithIdInUse_ThrowsAndKeepsTheFirstRule()
    {
        var store = await NewStorageAsync();
        var rule = ForwardingTestData.SetRule();
        await store.ForwardingRules.AddAsync(rule, None);
        var clash = ForwardingTestData.CampaignRule(StoreTestData.Epoch.AddDays(1)) with
        {
            Id = rule.Id,
            Name = "Other",
            Settings = StoreTestData.Json("""{"pixelId":"other"}"""),
        };

        await Calling(() => store.ForwardingRules.AddAsync(clash, None)).Should().ThrowAsync<InvalidOperationException>();

        ShouldMatch(await store.ForwardingRules.GetAsync(rule.Id, None), rule);
        ShouldMatch((await store.ForwardingRules.ListAsync(None)).Should().ContainSingle().Subject, rule);
    }

    /// <summary>An unknown rule id, or one that differs only in case, finds nothing.</summary>
    [Fact]
    public async Task GetForwardingRule_UnknownOrDifferentlyCasedId_ReturnsNull()
    {
        var store = await NewStorageAsync();
        var rule = ForwardingTestData.SetRule();
        await store.ForwardingRules.AddAsync(rule, None);

        (await store.ForwardingRules.GetAsync("rule_" + StoreTestData.NewId(), None)).Should().BeNull();
        (await store.ForwardingRules.GetAsync(rule.Id.ToUpperInvariant(), None)).Should().BeNull();
    }

    /// <summary>An empty store lists no rules.</summary>
    [Fact]
    public async Task ListForwardingRules_EmptyStore_ReturnsEmpty()
    {
        var store = await NewStorageAsync();

        (await store.ForwardingRules.ListAsync(None)).Should().BeEmpty();
    }

    /// <summary>Rules are listed oldest first, ties broken by id in ordinal order.</summary>
    [Fact]
    public async Task ListForwardingRules_ReturnsOldestFirst_TiesBrokenByIdOrdinal()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var newest = ForwardingTestData.SetRule(t.AddSeconds(2)) with { Id = "rule_0_" + StoreTestData.NewId() };
        var oldestLowerCase = ForwardingTestData.SetRule(t) with { Id = "rule_a_" + StoreTestData.NewId() };
        var middle = ForwardingTestData.CampaignRule(t.AddSeconds(1)) with { Id = "rule_m_" + StoreTestData.NewId() };
        var oldestUpperCase = ForwardingTestData.SetRule(t) with { Id = "rule_Z_" + StoreTestData.NewId() };
        var oneMillisecondLater = ForwardingTestData.SetRule(t.AddMilliseconds(1)) with { Id = "rule_1_" + StoreTestData.NewId() };
        foreach (var rule in new[] { newest, oldestLowerCase, middle, oldestUpperCase, oneMillisecondLater })
        {
            await store.ForwardingRules.AddAsync(rule, None);
        }

        var listed = await store.ForwardingRules.ListAsync(None);

        // "rule_Z" sorts before "rule_a" ordinally (not in a culture-aware order).
        listed.Select(r => r.Id).Should().Equal(oldestUpperCase.Id, oldestLowerCase.Id, oneMillisecondLater.Id, middle.Id, newest.Id);
        ShouldMatch(listed[3], middle);
    }

    /// <summary>A deleted rule is no longer read or listed, and deleting it again returns <see langword="false"/>.</summary>
    [Fact]
    public async Task DeleteForwardingRule_RuleIsNoLongerGotOrListed_AndDeletingAgainReturnsFalse()
    {
        var store = await NewStorageAsync();
        var rule = ForwardingTestData.SetRule();
        var other = ForwardingTestData.CampaignRule();
        await store.ForwardingRules.AddAsync(rule, None);
        await store.ForwardingRules.AddAsync(other, None);

        (await store.ForwardingRules.DeleteAsync(rule.Id, None)).Should().BeTrue();

        (await store.ForwardingRules.GetAsync(rule.Id, None)).Should().BeNull();
        (await store.ForwardingRules.ListAsync(None)).Select(r => r.Id).Should().Equal(other.Id);
        (await store.ForwardingRules.DeleteAsync(rule.Id, None)).Should().BeFalse();
        (await store.ForwardingRules.DeleteAsync("rule_" + StoreTestData.NewId(), None)).Should().BeFalse();
        ShouldMatch(await store.ForwardingRules.GetAsync(other.Id, None), other);
    }

    /// <summary>Updating a rule's settings replaces only them, stored as their exact JSON text.</summary>
    [Fact]
    public async Task UpdateForwardingRuleSettings_ReplacesOnlyTheSettings_AsTheirExactText()
    {
        var store = await NewStorageAsync();
        var rule = ForwardingTestData.SetRule(StoreTestData.Epoch.AddTicks(1_234_560));
        var other = ForwardingTestData.CampaignRule();
        await store.ForwardingRules.AddAsync(rule, None);
        await store.ForwardingRules.AddAsync(other, None);
        var settings = StoreTestData.Json("""{"pixelId":"1234567890", "accessToken":"dp1:CfDJ8Protected_value-0123","events":["first-deposit"],"note":"Весна 🌸"}""");

        (await store.ForwardingRules.UpdateSettingsAsync(rule.Id, settings, None)).Should().BeTrue();

        var updated = rule with { Settings = settings };
        ShouldMatch(await store.ForwardingRules.GetAsync(rule.Id, None), updated);
        (await store.ForwardingRules.GetAsync(rule.Id, None))!.Settings.GetRawText().Should().Be(settings.GetRawText());
        var listed = await store.ForwardingRules.ListAsync(None);
        ShouldMatch(listed.Single(r => r.Id == rule.Id), updated);
        ShouldMatch(listed.Single(r => r.Id == other.Id), other);
    }

    /// <summary>Updating the settings of an unknown or deleted rule returns <see langword="false"/> and stores nothing.</summary>
    [Fact]
    public async Task UpdateForwardingRuleSettings_UnknownOrDeletedRule_ReturnsFalseAndStoresNothing()
    {
        var store = await NewStorageAsync();
        var deleted = ForwardingTestData.SetRule();
        await store.ForwardingRules.AddAsync(deleted, None);
        await store.ForwardingRules.DeleteAsync(deleted.Id, None);
        var settings = StoreTestData.Json("""{"accessToken":"dp1:x"}""");

        (await store.ForwardingRules.UpdateSettingsAsync(deleted.Id, settings, None)).Should().BeFalse();
        (await store.ForwardingRules.UpdateSettingsAsync("rule_" + StoreTestData.NewId(), settings, None)).Should().BeFalse();

        (await store.ForwardingRules.GetAsync(deleted.Id, None)).Should().BeNull();
        (await store.ForwardingRules.ListAsync(None)).Should().BeEmpty();
    }

    /// <summary>Updating a rule's settings leaves its outbox messages untouched.</summary>
    [Fact]
    public async Task UpdateForwardingRuleSettings_KeepsTheRulesOutboxMessages()
    {
        var store = await NewStorageAsync();
        var rule = ForwardingTestData.SetRule();
        await store.ForwardingRules.AddAsync(rule, None);
        var conversion = StoreTestData.Conversion(rule.SetId);
        var message = ForwardingTestData.Message(conversion.Id, ruleId: rule.Id);
        await StoreAsync(store, conversion, message);

        (await store.ForwardingRules.UpdateSettingsAsync(rule.Id, StoreTestData.Json("{}"), None)).Should().BeTrue();

        (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(message);
    }

    /// <summary>Deleting a rule keeps its outbox messages.</summary>
    [Fact]
    public async Task DeleteForwardingRule_KeepsItsOutboxMessages()
    {
        var store = await NewStorageAsync();
        var rule = ForwardingTestData.SetRule();
        await store.ForwardingRules.AddAsync(rule, None);
        var conversion = StoreTestData.Conversion(rule.SetId);
        var message = ForwardingTestData.Message(conversion.Id, ruleId: rule.Id);
        await StoreAsync(store, conversion, message);

        (await store.ForwardingRules.DeleteAsync(rule.Id, None)).Should().BeTrue();

        (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(message);
        (await store.Outbox.ListAsync(new OutboxQuery { RuleId = rule.Id }, None)).Select(m => m.Id).Should().Equal(message.Id);
    }

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
