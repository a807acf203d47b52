using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.ConformanceTests;

/// <summary>
/// The behaviour every <see cref="PostbackStore"/> must show. A store's test project derives from this class and
/// returns a fresh, empty store from <see cref="CreateStoreAsync"/>. The tests rely on the documented contract only.
/// </summary>
public abstract partial class PostbackStoreConformanceTests
{
    private const int ConcurrentAppends = 32;

    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Creates a fresh, empty store for one test.</summary>
    protected abstract ValueTask<PostbackStore> CreateStoreAsync();

    // ---------------------------------------------------------------- sets

    [Fact]
    public async Task AddSet_ThenGetSet_ReturnsAllValues()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set(campaignId: "camp-1");

        await store.AddSetAsync(set, None);

        ShouldMatch(await store.GetSetAsync(set.Id, None), set);
    }

    [Fact]
    public async Task AddSet_DisabledSetWithoutCampaignOrSettings_RoundTrips()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set() with { CampaignId = null, Settings = null, Enabled = false };

        await store.AddSetAsync(set, None);

        ShouldMatch(await store.GetSetAsync(set.Id, None), set);
    }

    [Fact]
    public async Task AddSet_WithIdInUse_ThrowsAndKeepsTheFirstSet()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        var clash = StoreTestData.Set() with { Id = set.Id, Name = "Other" };

        await Calling(() => store.AddSetAsync(clash, None)).Should().ThrowAsync<InvalidOperationException>();

        ShouldMatch(await store.GetSetAsync(set.Id, None), set);
        (await store.FindSetByTokenAsync(clash.Token, StoreTestData.Epoch, None)).Should().BeNull();
    }

    [Fact]
    public async Task AddSet_WithTokenInUse_ThrowsAndStoresNothing()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        var clash = StoreTestData.Set() with { Token = set.Token };

        await Calling(() => store.AddSetAsync(clash, None)).Should().ThrowAsync<InvalidOperationException>();

        (await store.GetSetAsync(clash.Id, None)).Should().BeNull();
        (await store.FindSetByTokenAsync(set.Token, StoreTestData.Epoch, None))!.Id.Should().Be(set.Id);
    }

    [Fact]
    public async Task GetSet_UnknownId_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        await store.AddSetAsync(StoreTestData.Set(), None);

        (await store.GetSetAsync(StoreTestData.NewId(), None)).Should().BeNull();
    }

    [Fact]
    public async Task ListSets_EmptyStore_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();

        (await store.ListSetsAsync(None)).Should().BeEmpty();
    }

    [Fact]
    public async Task ListSets_ReturnsEnabledAndDisabledSetsOldestFirst_TiesBrokenById()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        PostbackSet[] sets =
        [
            StoreTestData.Set(t.AddMinutes(2)),
            StoreTestData.Set(t) with { Enabled = false },
            StoreTestData.Set(t.AddMinutes(1)),
            StoreTestData.Set(t),
            StoreTestData.Set(t.AddMinutes(1)),
        ];
        foreach (var set in sets)
        {
            await store.AddSetAsync(set, None);
        }

        var listed = await store.ListSetsAsync(None);

        var expected = sets.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal).Select(s => s.Id);
        listed.Select(s => s.Id).Should().Equal(expected);
        ShouldMatch(listed.Single(s => s.Id == sets[1].Id), sets[1]);
    }

    [Fact]
    public async Task UpdateSet_ReplacesNameCampaignSettingsAndEnabled_KeepsIdTokenNetworkAndCreatedAt()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set(campaignId: "camp-1");
        await store.AddSetAsync(set, None);
        var changes = set with
        {
            Name = "Binomo renamed",
            CampaignId = "camp-2",
            Settings = StoreTestData.Json("""{"defaultCurrency":"EUR"}"""),
            Enabled = false,
            Token = "tok_" + StoreTestData.NewId(),
            NetworkId = "1win",
            CreatedAt = set.CreatedAt.AddDays(3),
        };

        var updated = await store.UpdateSetAsync(changes, None);

        var expected = set with { Name = changes.Name, CampaignId = "camp-2", Settings = changes.Settings, Enabled = false };
        ShouldMatch(updated, expected);
        ShouldMatch(await store.GetSetAsync(set.Id, None), expected);
        ShouldMatch(await store.FindSetByTokenAsync(set.Token, StoreTestData.Epoch, None), expected);
        (await store.FindSetByTokenAsync(changes.Token, StoreTestData.Epoch, None)).Should().BeNull();
    }

    [Fact]
    public async Task UpdateSet_CanClearCampaignAndSettings()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set(campaignId: "camp-1");
        await store.AddSetAsync(set, None);

        var updated = await store.UpdateSetAsync(set with { CampaignId = null, Settings = null }, None);

        var expected = set with { CampaignId = null, Settings = null };
        ShouldMatch(updated, expected);
        ShouldMatch(await store.GetSetAsync(set.Id, None), expected);
    }

    [Fact]
    public async Task UpdateSet_UnknownId_ReturnsNullAndStoresNothing()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set();

        (await store.UpdateSetAsync(set, None)).Should().BeNull();

        (await store.GetSetAsync(set.Id, None)).Should().BeNull();
        (await store.ListSetsAsync(None)).Should().BeEmpty();
    }

    [Fact]
    public async Task FindSetByToken_CurrentToken_ReturnsTheSet()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        await store.AddSetAsync(StoreTestData.Set(), None);

        ShouldMatch(await store.FindSetByTokenAsync(set.Token, StoreTestData.Epoch.AddYears(5), None), set);
    }

    [Fact]
    public async Task FindSetByToken_UnknownOrDifferentlyCasedToken_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);

        (await store.FindSetByTokenAsync("tok_" + StoreTestData.NewId(), StoreTestData.Epoch, None)).Should().BeNull();
        (await store.FindSetByTokenAsync(set.Token.ToUpperInvariant(), StoreTestData.Epoch, None)).Should().BeNull();
    }

    [Fact]
    public async Task FindSetByToken_DisabledSet_ReturnsIt()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set() with { Enabled = false };
        await store.AddSetAsync(set, None);

        var found = await store.FindSetByTokenAsync(set.Token, StoreTestData.Epoch, None);

        ShouldMatch(found, set);
        found!.Enabled.Should().BeFalse();
    }

    [Fact]
    public async Task RotateToken_ReturnsTheSetWithTheNewToken_AndKeepsEverythingElse()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set(campaignId: "camp-1");
        await store.AddSetAsync(set, None);
        var newToken = "tok_" + StoreTestData.NewId();

        var rotated = await store.RotateTokenAsync(set.Id, newToken, null, None);

        var expected = set with { Token = newToken };
        ShouldMatch(rotated, expected);
        ShouldMatch(await store.GetSetAsync(set.Id, None), expected);
        ShouldMatch(await store.FindSetByTokenAsync(newToken, StoreTestData.Epoch, None), expected);
        (await store.ListSetsAsync(None)).Should().ContainSingle().Which.Token.Should().Be(newToken);
    }

    [Fact]
    public async Task RotateToken_WithoutGracePeriod_RetiresThePreviousTokenAtOnce()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        var newToken = "tok_" + StoreTestData.NewId();

        await store.RotateTokenAsync(set.Id, newToken, previousTokenValidUntil: null, None);

        (await store.FindSetByTokenAsync(set.Token, time.GetUtcNow(), None)).Should().BeNull();
        (await store.FindSetByTokenAsync(newToken, time.GetUtcNow(), None))!.Id.Should().Be(set.Id);
    }

    [Fact]
    public async Task RotateToken_WithGracePeriod_PreviousTokenWorksUntilTheGraceEnds()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        var newToken = "tok_" + StoreTestData.NewId();
        var graceEnd = time.GetUtcNow().AddHours(24);

        await store.RotateTokenAsync(set.Id, newToken, graceEnd, None);

        var duringGrace = await store.FindSetByTokenAsync(set.Token, time.GetUtcNow(), None);
        duringGrace!.Id.Should().Be(set.Id);
        duringGrace.Token.Should().Be(newToken, "the set is returned with its current token");
        time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        (await store.FindSetByTokenAsync(set.Token, time.GetUtcNow(), None))!.Id.Should().Be(set.Id);
        time.Advance(TimeSpan.FromSeconds(1));
        (await store.FindSetByTokenAsync(set.Token, time.GetUtcNow(), None)).Should().BeNull("the grace end is exclusive");
        (await store.FindSetByTokenAsync(newToken, time.GetUtcNow(), None))!.Id.Should().Be(set.Id);
    }

    [Fact]
    public async Task RotateToken_Twice_ReplacesThePreviousToken()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        var second = "tok_" + StoreTestData.NewId();
        var third = "tok_" + StoreTestData.NewId();

        await store.RotateTokenAsync(set.Id, second, time.GetUtcNow().AddHours(24), None);
        time.Advance(TimeSpan.FromHours(1));
        await store.RotateTokenAsync(set.Id, third, time.GetUtcNow().AddHours(2), None);

        (await store.FindSetByTokenAsync(set.Token, time.GetUtcNow(), None)).Should().BeNull("a second rotation retires the first token");
        (await store.FindSetByTokenAsync(second, time.GetUtcNow(), None))!.Token.Should().Be(third);
        (await store.FindSetByTokenAsync(third, time.GetUtcNow(), None))!.Token.Should().Be(third);
        time.Advance(TimeSpan.FromHours(2));
        (await store.FindSetByTokenAsync(second, time.GetUtcNow(), None)).Should().BeNull();
        (await store.FindSetByTokenAsync(third, time.GetUtcNow(), None))!.Id.Should().Be(set.Id);
    }

    [Fact]
    public async Task RotateToken_TwiceWithoutGracePeriod_RetiresBothEarlierTokens()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        var second = "tok_" + StoreTestData.NewId();
        var third = "tok_" + StoreTestData.NewId();

        await store.RotateTokenAsync(set.Id, second, time.GetUtcNow().AddHours(24), None);
        await store.RotateTokenAsync(set.Id, third, null, None);

        (await store.FindSetByTokenAsync(set.Token, time.GetUtcNow(), None)).Should().BeNull();
        (await store.FindSetByTokenAsync(second, time.GetUtcNow(), None)).Should().BeNull();
        (await store.FindSetByTokenAsync(third, time.GetUtcNow(), None))!.Id.Should().Be(set.Id);
    }

    [Fact]
    public async Task RotateToken_UnknownSet_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        var token = "tok_" + StoreTestData.NewId();

        (await store.RotateTokenAsync(StoreTestData.NewId(), token, null, None)).Should().BeNull();

        (await store.FindSetByTokenAsync(token, StoreTestData.Epoch, None)).Should().BeNull();
    }

    [Fact]
    public async Task RotateToken_ToATokenThatIsOrWasInUse_ThrowsAndKeepsTheCurrentToken()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var set = StoreTestData.Set();
        var other = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        await store.AddSetAsync(other, None);
        var second = "tok_" + StoreTestData.NewId();
        await store.RotateTokenAsync(set.Id, second, null, None);

        await Calling(() => store.RotateTokenAsync(set.Id, other.Token, null, None)).Should().ThrowAsync<InvalidOperationException>();
        await Calling(() => store.RotateTokenAsync(set.Id, second, null, None)).Should().ThrowAsync<InvalidOperationException>();
        await Calling(() => store.RotateTokenAsync(set.Id, set.Token, null, None)).Should().ThrowAsync<InvalidOperationException>();

        (await store.GetSetAsync(set.Id, None))!.Token.Should().Be(second);
        (await store.FindSetByTokenAsync(other.Token, time.GetUtcNow(), None))!.Id.Should().Be(other.Id);
    }

    [Fact]
    public async Task UpdateSet_AfterRotation_KeepsTheNewTokenAndTheGracePeriod()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        var newToken = "tok_" + StoreTestData.NewId();
        await store.RotateTokenAsync(set.Id, newToken, time.GetUtcNow().AddHours(1), None);

        var updated = await store.UpdateSetAsync(set with { Name = "Renamed" }, None);

        updated!.Token.Should().Be(newToken);
        updated.Name.Should().Be("Renamed");
        (await store.FindSetByTokenAsync(set.Token, time.GetUtcNow(), None))!.Name.Should().Be("Renamed");
    }

    [Fact]
    public async Task DeleteSet_SetIsNoLongerFoundByIdTokenOrList()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var set = StoreTestData.Set();
        var kept = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        await store.AddSetAsync(kept, None);
        var newToken = "tok_" + StoreTestData.NewId();
        await store.RotateTokenAsync(set.Id, newToken, time.GetUtcNow().AddHours(24), None);

        (await store.DeleteSetAsync(set.Id, None)).Should().BeTrue();

        (await store.GetSetAsync(set.Id, None)).Should().BeNull();
        (await store.FindSetByTokenAsync(newToken, time.GetUtcNow(), None)).Should().BeNull();
        (await store.FindSetByTokenAsync(set.Token, time.GetUtcNow(), None)).Should().BeNull("a deleted set's previous token is gone too");
        (await store.ListSetsAsync(None)).Select(s => s.Id).Should().Equal(kept.Id);
        ShouldMatch(await store.GetSetAsync(kept.Id, None), kept);
    }

    [Fact]
    public async Task IsSetIdUsed_ExistingDisabledAndDeletedSets_AreUsedAndAnUnknownIdIsNot()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set();
        var disabled = StoreTestData.Set() with { Enabled = false };
        var deleted = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        await store.AddSetAsync(disabled, None);
        await store.AddSetAsync(deleted, None);
        await store.DeleteSetAsync(deleted.Id, None);

        (await store.IsSetIdUsedAsync(set.Id, None)).Should().BeTrue();
        (await store.IsSetIdUsedAsync(disabled.Id, None)).Should().BeTrue();
        (await store.IsSetIdUsedAsync(deleted.Id, None)).Should().BeTrue("a deleted set's id stays used");
        (await store.IsSetIdUsedAsync(StoreTestData.NewId(), None)).Should().BeFalse();
        (await store.IsSetIdUsedAsync(set.Id.ToUpperInvariant(), None)).Should().BeFalse("ids are compared ordinally");
    }

    [Fact]
    public async Task DeleteSet_UnknownOrAlreadyDeletedSet_ReturnsFalse()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);

        (await store.DeleteSetAsync(StoreTestData.NewId(), None)).Should().BeFalse();
        (await store.DeleteSetAsync(set.Id, None)).Should().BeTrue();
        (await store.DeleteSetAsync(set.Id, None)).Should().BeFalse();
    }

    [Fact]
    public async Task DeleteSet_UpdateAndRotateOfTheDeletedSet_ReturnNull()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        await store.DeleteSetAsync(set.Id, None);

        (await store.UpdateSetAsync(set with { Name = "Back" }, None)).Should().BeNull();
        (await store.RotateTokenAsync(set.Id, "tok_" + StoreTestData.NewId(), null, None)).Should().BeNull();
        (await store.GetSetAsync(set.Id, None)).Should().BeNull();
    }

    [Fact]
    public async Task DeleteSet_ItsIdAndTokensStayUsed()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        var newToken = "tok_" + StoreTestData.NewId();
        await store.RotateTokenAsync(set.Id, newToken, null, None);
        await store.DeleteSetAsync(set.Id, None);
        var other = StoreTestData.Set();
        await store.AddSetAsync(other, None);

        await Calling(() => store.AddSetAsync(StoreTestData.Set() with { Id = set.Id }, None)).Should().ThrowAsync<InvalidOperationException>();
        await Calling(() => store.AddSetAsync(StoreTestData.Set() with { Token = set.Token }, None)).Should().ThrowAsync<InvalidOperationException>();
        await Calling(() => store.AddSetAsync(StoreTestData.Set() with { Token = newToken }, None)).Should().ThrowAsync<InvalidOperationException>();
        await Calling(() => store.RotateTokenAsync(other.Id, newToken, null, None)).Should().ThrowAsync<InvalidOperationException>();

        (await store.ListSetsAsync(None)).Select(s => s.Id).Should().Equal(other.Id);
    }

    [Fact]
    public async Task DeleteSet_KeepsItsConversionsAndLogEntries()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        var conversion = StoreTestData.Conversion(set.Id);
        await store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion), None);
        var rejected = StoreTestData.LogEntry(set.Id);
        await store.AppendLogAsync(rejected, None);

        await store.DeleteSetAsync(set.Id, None);

        (await store.GetConversionAsync(conversion.Id, None)).Should().NotBeNull();
        (await store.ListConversionsByClickAsync(conversion.Conversion.ClickId, None)).Should().ContainSingle();
        (await store.ListLogAsync(new PostbackLogQuery { SetId = set.Id }, None)).Should().HaveCount(2);
    }

    // -------------------------------------------------------------- clicks

    [Fact]
    public async Task AddClick_ThenFindClick_ReturnsAllValues()
    {
        var store = await CreateStoreAsync();
        var click = StoreTestData.Click(StoreTestData.Epoch.AddMinutes(-5));
        await store.AddClickAsync(click, None);
        await store.AddClickAsync(StoreTestData.Click(), None);

        var found = await store.FindClickAsync(click.Id, None);

        found.Should().BeEquivalentTo(click);
        found!.IpAddress.Should().Be(IPAddress.Parse("203.0.113.7"));
        found.CreatedAt.Should().Be(click.CreatedAt);
    }

    [Fact]
    public async Task AddClick_WithOnlyRequiredValues_RoundTrips()
    {
        var store = await CreateStoreAsync();
        var click = new Click { Id = "c" + StoreTestData.NewId()[..9], CreatedAt = StoreTestData.Epoch };
        await store.AddClickAsync(click, None);

        (await store.FindClickAsync(click.Id, None)).Should().BeEquivalentTo(click);
    }

    [Fact]
    public async Task AddClick_WithIdInUse_ThrowsAndKeepsTheFirstClick()
    {
        var store = await CreateStoreAsync();
        var click = StoreTestData.Click(campaignId: "camp-1");
        await store.AddClickAsync(click, None);

        await Calling(() => store.AddClickAsync(click with { CampaignId = "camp-2" }, None)).Should().ThrowAsync<InvalidOperationException>();

        (await store.FindClickAsync(click.Id, None))!.CampaignId.Should().Be("camp-1");
    }

    [Fact]
    public async Task FindClick_UnknownOrDifferentlyCasedId_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        var click = StoreTestData.Click();
        await store.AddClickAsync(click, None);

        (await store.FindClickAsync("x" + StoreTestData.NewId()[..11], None)).Should().BeNull();
        (await store.FindClickAsync(click.Id.ToUpperInvariant(), None)).Should().BeNull("click ids are case-sensitive");
    }

    // --------------------------------------------------------- conversions

    [Fact]
    public async Task AppendConversion_Credited_StoresItAndLogsAccepted()
    {
        var store = await CreateStoreAsync();
        var conversion = StoreTestData.Conversion(attribution: ConversionAttribution.Credited);
        var entry = StoreTestData.LogEntryFor(conversion);

        var result = await store.AppendConversionAsync(conversion, entry, None);

        result.Should().Be(ConversionAppendResult.Accepted(conversion.Id));
        (await store.GetConversionAsync(conversion.Id, None)).Should().BeEquivalentTo(conversion);
        var logged = (await store.ListLogAsync(new PostbackLogQuery(), None)).Should().ContainSingle().Subject;
        logged.Should().BeEquivalentTo(entry with { Outcome = PostbackOutcome.Accepted, ConversionId = conversion.Id });
    }

    [Fact]
    public async Task AppendConversion_Unattributed_StoresItAndLogsUnattributed()
    {
        var store = await CreateStoreAsync();
        var conversion = StoreTestData.Conversion(attribution: ConversionAttribution.Unattributed);
        var entry = StoreTestData.LogEntryFor(conversion);

        var result = await store.AppendConversionAsync(conversion, entry, None);

        result.Should().Be(ConversionAppendResult.Accepted(conversion.Id));
        var stored = await store.GetConversionAsync(conversion.Id, None);
        stored.Should().BeEquivalentTo(conversion);
        stored!.Attribution.Should().Be(ConversionAttribution.Unattributed);
        stored.CampaignId.Should().BeNull();
        var logged = (await store.ListLogAsync(new PostbackLogQuery(), None)).Should().ContainSingle().Subject;
        logged.Outcome.Should().Be(PostbackOutcome.Unattributed);
        logged.ConversionId.Should().Be(conversion.Id);
    }

    [Fact]
    public async Task AppendConversion_OverwritesOutcomeAndConversionIdPassedIn_KeepsTheRestOfTheLogEntry()
    {
        var store = await CreateStoreAsync();
        var conversion = StoreTestData.Conversion();
        var entry = StoreTestData.LogEntryFor(conversion) with
        {
            Outcome = PostbackOutcome.Duplicate,
            ConversionId = "conv_" + StoreTestData.NewId(),
            Warnings = ["amount_comma_decimal", "macro_not_substituted"],
        };

        await store.AppendConversionAsync(conversion, entry, None);

        var logged = (await store.ListLogAsync(new PostbackLogQuery(), None)).Should().ContainSingle().Subject;
        logged.Should().BeEquivalentTo(entry with { Outcome = PostbackOutcome.Accepted, ConversionId = conversion.Id });
    }

    [Fact]
    public async Task AppendConversion_SamePermanentKey_IsDuplicateOfTheOriginalAndIsNotStored()
    {
        var store = await CreateStoreAsync();
        var original = StoreTestData.Conversion();
        await store.AppendConversionAsync(original, StoreTestData.LogEntryFor(original), None);
        var retry = StoreTestData.Retry(original) with
        {
            Conversion = original.Conversion with { TransactionId = "tx_" + StoreTestData.NewId(), Amount = 99m },
        };

        var result = await store.AppendConversionAsync(retry, StoreTestData.LogEntryFor(retry), None);

        result.Should().Be(ConversionAppendResult.Duplicate(original.Id));
        (await store.GetConversionAsync(retry.Id, None)).Should().BeNull();
        (await store.GetConversionAsync(original.Id, None)).Should().BeEquivalentTo(original);
        (await store.ListConversionsByClickAsync(original.Conversion.ClickId, None)).Select(c => c.Id).Should().Equal(original.Id);
    }

    [Fact]
    public async Task AppendConversion_SamePermanentKeyYearsLater_IsStillDuplicate()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var original = StoreTestData.Conversion(receivedAt: time.GetUtcNow());
        await store.AppendConversionAsync(original, StoreTestData.LogEntryFor(original), None);
        time.Advance(TimeSpan.FromDays(3 * 365));
        var late = StoreTestData.Retry(original, time.GetUtcNow());

        var result = await store.AppendConversionAsync(late, StoreTestData.LogEntryFor(late), None);

        result.Should().Be(ConversionAppendResult.Duplicate(original.Id));
    }

    [Fact]
    public async Task AppendConversion_Duplicate_LogsDuplicateWithTheOriginalConversionId()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var original = StoreTestData.Conversion(receivedAt: time.GetUtcNow());
        await store.AppendConversionAsync(original, StoreTestData.LogEntryFor(original), None);
        time.Advance(TimeSpan.FromMinutes(5));
        var retry = StoreTestData.Retry(original, time.GetUtcNow());
        var retryEntry = StoreTestData.LogEntryFor(retry) with { ConversionId = retry.Id, Outcome = PostbackOutcome.Accepted };

        await store.AppendConversionAsync(retry, retryEntry, None);

        var log = await store.ListLogAsync(new PostbackLogQuery(), None);
        log.Should().HaveCount(2);
        log[0].Should().BeEquivalentTo(retryEntry with { Outcome = PostbackOutcome.Duplicate, ConversionId = original.Id });
        log[1].Outcome.Should().Be(PostbackOutcome.Accepted);
        log[1].ConversionId.Should().Be(original.Id);
    }

    [Fact]
    public async Task AppendConversion_DifferentKeysForTheSameClick_AreBothAccepted()
    {
        var store = await CreateStoreAsync();
        var first = StoreTestData.Conversion();
        var second = StoreTestData.Retry(first) with
        {
            Conversion = first.Conversion with { IdempotencyKey = StoreTestData.PermanentKey() },
        };

        var a = await store.AppendConversionAsync(first, StoreTestData.LogEntryFor(first), None);
        var b = await store.AppendConversionAsync(second, StoreTestData.LogEntryFor(second), None);

        a.Should().Be(ConversionAppendResult.Accepted(first.Id));
        b.Should().Be(ConversionAppendResult.Accepted(second.Id));
        (await store.ListConversionsByClickAsync(first.Conversion.ClickId, None)).Should().HaveCount(2);
    }

    [Fact]
    public async Task AppendConversion_WindowedKeyInsideTheWindow_IsDuplicate()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var window = TimeSpan.FromHours(24);
        var first = StoreTestData.Conversion(receivedAt: time.GetUtcNow(), key: StoreTestData.WindowedKey(window));
        await store.AppendConversionAsync(first, StoreTestData.LogEntryFor(first), None);

        var atOnce = StoreTestData.Retry(first, time.GetUtcNow());
        (await store.AppendConversionAsync(atOnce, StoreTestData.LogEntryFor(atOnce), None))
            .Should().Be(ConversionAppendResult.Duplicate(first.Id));
        time.Advance(window - TimeSpan.FromSeconds(1));
        var late = StoreTestData.Retry(first, time.GetUtcNow());
        (await store.AppendConversionAsync(late, StoreTestData.LogEntryFor(late), None))
            .Should().Be(ConversionAppendResult.Duplicate(first.Id));

        (await store.ListConversionsByClickAsync(first.Conversion.ClickId, None)).Select(c => c.Id).Should().Equal(first.Id);
    }

    [Fact]
    public async Task AppendConversion_WindowedKeyAtTheWindowEnd_StartsANewSeries()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var window = TimeSpan.FromHours(24);
        var first = StoreTestData.Conversion(receivedAt: time.GetUtcNow(), key: StoreTestData.WindowedKey(window));
        await store.AppendConversionAsync(first, StoreTestData.LogEntryFor(first), None);
        time.Advance(window);
        var second = StoreTestData.Retry(first, time.GetUtcNow());
        var secondEntry = StoreTestData.LogEntryFor(second);

        var result = await store.AppendConversionAsync(second, secondEntry, None);

        result.Should().Be(ConversionAppendResult.Accepted(second.Id));
        (await store.GetConversionAsync(second.Id, None)).Should().BeEquivalentTo(second);
        (await store.ListConversionsByClickAsync(first.Conversion.ClickId, None)).Select(c => c.Id).Should().Equal(first.Id, second.Id);
        var logged = (await store.ListLogAsync(new PostbackLogQuery { Limit = 1 }, None)).Should().ContainSingle().Subject;
        logged.Id.Should().Be(secondEntry.Id);
        logged.Outcome.Should().Be(PostbackOutcome.Accepted);
        logged.ConversionId.Should().Be(second.Id);
    }

    [Fact]
    public async Task AppendConversion_DuplicateOfTheSecondSeries_ReturnsTheSecondSeriesId()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var window = TimeSpan.FromHours(24);
        var first = StoreTestData.Conversion(receivedAt: time.GetUtcNow(), key: StoreTestData.WindowedKey(window));
        await store.AppendConversionAsync(first, StoreTestData.LogEntryFor(first), None);
        time.Advance(TimeSpan.FromHours(30));
        var second = StoreTestData.Retry(first, time.GetUtcNow());
        await store.AppendConversionAsync(second, StoreTestData.LogEntryFor(second), None);
        time.Advance(TimeSpan.FromHours(1));
        var retry = StoreTestData.Retry(first, time.GetUtcNow());

        var result = await store.AppendConversionAsync(retry, StoreTestData.LogEntryFor(retry), None);

        result.Should().Be(ConversionAppendResult.Duplicate(second.Id));
        var logged = (await store.ListLogAsync(new PostbackLogQuery { Limit = 1 }, None)).Should().ContainSingle().Subject;
        logged.Outcome.Should().Be(PostbackOutcome.Duplicate);
        logged.ConversionId.Should().Be(second.Id);
    }

    [Fact]
    public async Task AppendConversion_WindowIsMeasuredFromTheFirstOccurrence_NotFromTheLastDuplicate()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var window = TimeSpan.FromHours(24);
        var first = StoreTestData.Conversion(receivedAt: time.GetUtcNow(), key: StoreTestData.WindowedKey(window));
        await store.AppendConversionAsync(first, StoreTestData.LogEntryFor(first), None);
        time.Advance(TimeSpan.FromHours(20));
        var retry = StoreTestData.Retry(first, time.GetUtcNow());
        (await store.AppendConversionAsync(retry, StoreTestData.LogEntryFor(retry), None)).IsDuplicate.Should().BeTrue();
        time.Advance(TimeSpan.FromHours(10));
        var next = StoreTestData.Retry(first, time.GetUtcNow());

        var result = await store.AppendConversionAsync(next, StoreTestData.LogEntryFor(next), None);

        result.Should().Be(ConversionAppendResult.Accepted(next.Id), "30 h after the first occurrence is outside its 24 h window");
    }

    [Fact]
    public async Task AppendConversion_WindowedKeyReceivedBeforeAStoredOneWithinTheWindow_IsItsDuplicate()
    {
        var store = await CreateStoreAsync();
        var window = TimeSpan.FromHours(24);
        var later = StoreTestData.Conversion(receivedAt: StoreTestData.Epoch.AddHours(2), key: StoreTestData.WindowedKey(window));
        await store.AppendConversionAsync(later, StoreTestData.LogEntryFor(later), None);

        // A replay keeps its original, earlier receive time: it must still meet the retry accepted after it.
        var replayed = StoreTestData.Retry(later, StoreTestData.Epoch);
        var result = await store.AppendConversionAsync(replayed, StoreTestData.LogEntryFor(replayed), None);

        result.Should().Be(ConversionAppendResult.Duplicate(later.Id), "the window reaches both ways");
        var tooEarly = StoreTestData.Retry(later, StoreTestData.Epoch.AddHours(2) - window);
        (await store.AppendConversionAsync(tooEarly, StoreTestData.LogEntryFor(tooEarly), None))
            .Should().Be(ConversionAppendResult.Accepted(tooEarly.Id), "exactly one window before is outside it");
    }

    [Fact]
    public async Task AppendConversion_ThirtyTwoConcurrentIdenticalAppends_AcceptsExactlyOne()
    {
        await ConcurrentIdenticalAppendsAcceptExactlyOneAsync(StoreTestData.PermanentKey());
    }

    [Fact]
    public async Task AppendConversion_ThirtyTwoConcurrentIdenticalWindowedAppends_AcceptsExactlyOne()
    {
        await ConcurrentIdenticalAppendsAcceptExactlyOneAsync(StoreTestData.WindowedKey(TimeSpan.FromHours(24)));
    }

    [Fact]
    public async Task AppendConversion_KeepsEveryValue()
    {
        var store = await CreateStoreAsync();
        PostbackEvent.TryParse("withdrawal", out var withdrawal).Should().BeTrue();
        var template = StoreTestData.Conversion(attribution: ConversionAttribution.Credited);
        var conversion = template with
        {
            CampaignId = "camp-42",
            Conversion = template.Conversion with
            {
                Event = withdrawal,
                Amount = -25.75m,
                Currency = "EUR",
                TransactionId = "TX-Ab_9." + StoreTestData.NewId(),
                Attributes = new Dictionary<string, string>
                {
                    ["user_id"] = "987654",
                    ["city"] = "São Paulo",
                    ["empty"] = "",
                },
                ReceivedAt = StoreTestData.Epoch.AddDays(-2),
                RemoteAddress = IPAddress.Parse("2001:db8::1"),
                IdempotencyKey = StoreTestData.WindowedKey(TimeSpan.FromHours(6)),
            },
        };

        await store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion), None);

        var stored = await store.GetConversionAsync(conversion.Id, None);
        stored.Should().BeEquivalentTo(conversion);
        stored!.Conversion.Event.Should().Be(withdrawal);
        stored.Conversion.Event.Kind.Should().Be(PostbackEventKind.Custom);
        stored.Conversion.Amount.Should().Be(-25.75m);
        stored.Conversion.ReceivedAt.Should().Be(StoreTestData.Epoch.AddDays(-2));
        stored.Conversion.IdempotencyKey.Should().Be(conversion.Conversion.IdempotencyKey);
        (await store.ListConversionsByClickAsync(conversion.Conversion.ClickId, None)).Should().ContainSingle()
            .Which.Should().BeEquivalentTo(conversion);
    }

    [Fact]
    public async Task AppendConversion_RegistrationWithoutAmount_KeepsTheMissingValues()
    {
        var store = await CreateStoreAsync();
        var template = StoreTestData.Conversion(attribution: ConversionAttribution.Unattributed);
        var conversion = template with
        {
            Conversion = template.Conversion with
            {
                Event = PostbackEvent.Registration,
                Amount = null,
                Currency = null,
                TransactionId = null,
                RemoteAddress = null,
                Attributes = new Dictionary<string, string>(),
            },
        };

        await store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion), None);

        (await store.GetConversionAsync(conversion.Id, None)).Should().BeEquivalentTo(conversion);
    }

    [Fact]
    public async Task AppendConversion_DecimalAmounts_AreStoredExactly()
    {
        var store = await CreateStoreAsync();
        decimal[] amounts = [0.00000001m, 999999999999.99999999m, -999999999999.99999999m, 0m, 12.5m, 1234567.89m, 0.1m];
        var clickId = "c" + StoreTestData.NewId()[..11];
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var ids = new List<string>();
        foreach (var amount in amounts)
        {
            var template = StoreTestData.Conversion(clickId: clickId, receivedAt: time.GetUtcNow());
            var conversion = template with { Conversion = template.Conversion with { Amount = amount } };
            await store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion), None);
            ids.Add(conversion.Id);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        for (var i = 0; i < amounts.Length; i++)
        {
            (await store.GetConversionAsync(ids[i], None))!.Conversion.Amount.Should().Be(amounts[i]);
        }

        (await store.ListConversionsByClickAsync(clickId, None)).Select(c => c.Conversion.Amount).Should().Equal(amounts.Cast<decimal?>());
    }

    [Fact]
    public async Task AppendConversion_WithAConversionIdInUse_ThrowsAndStoresNothing()
    {
        var store = await CreateStoreAsync();
        var first = StoreTestData.Conversion();
        await store.AppendConversionAsync(first, StoreTestData.LogEntryFor(first), None);
        var clash = StoreTestData.Conversion() with { Id = first.Id };
        var clashEntry = StoreTestData.LogEntryFor(clash);

        await Calling(() => store.AppendConversionAsync(clash, clashEntry, None)).Should().ThrowAsync<InvalidOperationException>();

        (await store.GetConversionAsync(first.Id, None)).Should().BeEquivalentTo(first);
        (await store.ListConversionsByClickAsync(clash.Conversion.ClickId, None)).Should().BeEmpty();
        (await store.ListLogAsync(new PostbackLogQuery(), None)).Select(e => e.Id).Should().NotContain(clashEntry.Id);
    }

    [Fact]
    public async Task AppendConversion_WithALogEntryIdInUse_ThrowsAndStoresNothing()
    {
        var store = await CreateStoreAsync();
        var rejected = StoreTestData.LogEntry();
        await store.AppendLogAsync(rejected, None);
        var conversion = StoreTestData.Conversion();

        await Calling(() => store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion) with { Id = rejected.Id }, None))
            .Should().ThrowAsync<InvalidOperationException>();

        (await store.GetConversionAsync(conversion.Id, None)).Should().BeNull();
        (await store.ListLogAsync(new PostbackLogQuery(), None)).Should().ContainSingle().Which.Should().BeEquivalentTo(rejected);
        var retry = StoreTestData.Retry(conversion);
        (await store.AppendConversionAsync(retry, StoreTestData.LogEntryFor(retry), None))
            .Should().Be(ConversionAppendResult.Accepted(retry.Id), "the failed append did not claim the key");
    }

    [Fact]
    public async Task GetConversion_UnknownId_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        var conversion = StoreTestData.Conversion();
        await store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion), None);

        (await store.GetConversionAsync("conv_" + StoreTestData.NewId(), None)).Should().BeNull();
    }

    [Fact]
    public async Task ListConversionsByClick_ReturnsThatClicksConversionsOfEverySetOldestFirst()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var clickId = "c" + StoreTestData.NewId()[..11];
        var setA = "set_" + StoreTestData.NewId();
        var setB = "set_" + StoreTestData.NewId();
        ConversionRecord[] conversions =
        [
            StoreTestData.Conversion(setA, clickId, t.AddHours(2)),
            StoreTestData.Conversion(setB, clickId, t, attribution: ConversionAttribution.Unattributed),
            StoreTestData.Conversion(setA, clickId, t.AddHours(1)),
            StoreTestData.Conversion(setB, clickId, t.AddHours(1)),
        ];
        foreach (var conversion in conversions)
        {
            await store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion), None);
        }

        var other = StoreTestData.Conversion(setA, clickId.ToUpperInvariant(), t);
        await store.AppendConversionAsync(other, StoreTestData.LogEntryFor(other), None);
        var duplicate = StoreTestData.Retry(conversions[0], t.AddHours(3));
        await store.AppendConversionAsync(duplicate, StoreTestData.LogEntryFor(duplicate), None);

        var listed = await store.ListConversionsByClickAsync(clickId, None);

        var expected = conversions
            .OrderBy(c => c.Conversion.ReceivedAt)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => c.Id);
        listed.Select(c => c.Id).Should().Equal(expected);
        listed[0].Should().BeEquivalentTo(conversions[1]);
    }

    [Fact]
    public async Task ListConversionsByClick_UnknownClick_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();
        var conversion = StoreTestData.Conversion();
        await store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion), None);

        (await store.ListConversionsByClickAsync("c" + StoreTestData.NewId()[..11], None)).Should().BeEmpty();
    }

    // ------------------------------------------------------------- the log

    [Fact]
    public async Task AppendLog_ThenListLog_ReturnsAllValues()
    {
        var store = await CreateStoreAsync();
        var entry = StoreTestData.LogEntry() with
        {
            Code = "amount_invalid",
            Warnings = ["macro_not_substituted", "currency_defaulted"],
            Request = new PostbackRequest
            {
                Method = "POST",
                Path = "/api/postbacks/tok/deposit",
                EventSegment = "deposit",
                QueryString = "?a=1&b=%7Bsub1%7D",
                Body = """{"click_id":"67wgwWkaR0","amount":"12,50 USD"}""",
                ContentType = "application/json",
                RemoteAddress = IPAddress.Parse("2001:db8::42"),
            },
        };

        await store.AppendLogAsync(entry, None);

        var listed = await store.ListLogAsync(new PostbackLogQuery(), None);
        listed.Should().ContainSingle().Which.Should().BeEquivalentTo(entry);
        listed[0].ReceivedAt.Should().Be(entry.ReceivedAt);
    }

    [Fact]
    public async Task AppendLog_WithoutOptionalValues_RoundTrips()
    {
        var store = await CreateStoreAsync();
        var entry = StoreTestData.LogEntry() with { Code = null, Warnings = [], Request = new PostbackRequest() };

        await store.AppendLogAsync(entry, None);

        (await store.ListLogAsync(new PostbackLogQuery(), None)).Should().ContainSingle().Which.Should().BeEquivalentTo(entry);
    }

    [Fact]
    public async Task AppendLog_WithIdInUse_Throws()
    {
        var store = await CreateStoreAsync();
        var entry = StoreTestData.LogEntry();
        await store.AppendLogAsync(entry, None);

        await Calling(() => store.AppendLogAsync(StoreTestData.LogEntry() with { Id = entry.Id }, None))
            .Should().ThrowAsync<InvalidOperationException>();

        (await store.ListLogAsync(new PostbackLogQuery(), None)).Should().ContainSingle().Which.Should().BeEquivalentTo(entry);
    }

    [Fact]
    public async Task ListLog_EmptyStore_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();

        (await store.ListLogAsync(new PostbackLogQuery(), None)).Should().BeEmpty();
    }

    [Fact]
    public async Task ListLog_ReturnsNewestFirst_TiesBrokenByIdDescending()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        PostbackLogEntry[] entries =
        [
            StoreTestData.LogEntry(receivedAt: t),
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(2)),
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(1)),
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(2)),
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(-1)),
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(1)),
        ];
        foreach (var entry in entries)
        {
            await store.AppendLogAsync(entry, None);
        }

        var listed = await store.ListLogAsync(new PostbackLogQuery(), None);

        listed.Select(e => e.Id).Should().Equal(NewestFirst(entries));
    }

    [Fact]
    public async Task ListLog_AppliesTheLimit()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var entries = new List<PostbackLogEntry>();
        for (var i = 0; i < 5; i++)
        {
            var entry = StoreTestData.LogEntry(receivedAt: time.GetUtcNow());
            await store.AppendLogAsync(entry, None);
            entries.Add(entry);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var listed = await store.ListLogAsync(new PostbackLogQuery { Limit = 2 }, None);

        listed.Select(e => e.Id).Should().Equal(entries[4].Id, entries[3].Id);
        (await store.ListLogAsync(new PostbackLogQuery { Limit = 1000 }, None)).Should().HaveCount(5);
    }

    [Fact]
    public async Task ListLog_BeforeId_PagesThroughSevenEntriesWithTiedTimesInThreePages()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var entries = new List<PostbackLogEntry>
        {
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(1)),
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(-1)),
        };
        for (var i = 0; i < 5; i++)
        {
            entries.Add(StoreTestData.LogEntry(receivedAt: t));
        }

        foreach (var entry in entries)
        {
            await store.AppendLogAsync(entry, None);
        }

        var expected = NewestFirst(entries);
        var page1 = await store.ListLogAsync(new PostbackLogQuery { Limit = 3 }, None);
        var page2 = await store.ListLogAsync(new PostbackLogQuery { Limit = 3, BeforeId = page1[^1].Id }, None);
        var page3 = await store.ListLogAsync(new PostbackLogQuery { Limit = 3, BeforeId = page2[^1].Id }, None);
        var page4 = await store.ListLogAsync(new PostbackLogQuery { Limit = 3, BeforeId = page3[^1].Id }, None);

        page1.Select(e => e.Id).Should().Equal(expected[..3]);
        page2.Select(e => e.Id).Should().Equal(expected[3..6]);
        page3.Select(e => e.Id).Should().Equal(expected[6..]);
        page4.Should().BeEmpty();
    }

    [Fact]
    public async Task ListLog_BeforeAnUnknownId_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();
        await store.AppendLogAsync(StoreTestData.LogEntry(), None);

        (await store.ListLogAsync(new PostbackLogQuery { BeforeId = "log_" + StoreTestData.NewId() }, None)).Should().BeEmpty();
    }

    [Fact]
    public async Task ListLog_FiltersBySet()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var setA = "set_" + StoreTestData.NewId();
        var setB = "set_" + StoreTestData.NewId();
        var inA = new List<PostbackLogEntry>();
        for (var i = 0; i < 4; i++)
        {
            var entry = StoreTestData.LogEntry(i % 2 == 0 ? setA : setB, time.GetUtcNow());
            await store.AppendLogAsync(entry, None);
            if (entry.SetId == setA)
            {
                inA.Add(entry);
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        var conversion = StoreTestData.Conversion(setA, receivedAt: time.GetUtcNow());
        var conversionEntry = StoreTestData.LogEntryFor(conversion);
        await store.AppendConversionAsync(conversion, conversionEntry, None);
        inA.Add(conversionEntry);

        var listed = await store.ListLogAsync(new PostbackLogQuery { SetId = setA }, None);

        listed.Select(e => e.Id).Should().Equal(NewestFirst(inA));
        (await store.ListLogAsync(new PostbackLogQuery { SetId = "set_" + StoreTestData.NewId() }, None)).Should().BeEmpty();
    }

    [Fact]
    public async Task ListLog_FiltersByOutcome()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var rejected = StoreTestData.LogEntry(receivedAt: time.GetUtcNow());
        await store.AppendLogAsync(rejected, None);
        time.Advance(TimeSpan.FromSeconds(1));
        var credited = StoreTestData.Conversion(receivedAt: time.GetUtcNow());
        await store.AppendConversionAsync(credited, StoreTestData.LogEntryFor(credited), None);
        time.Advance(TimeSpan.FromSeconds(1));
        var unattributed = StoreTestData.Conversion(receivedAt: time.GetUtcNow(), attribution: ConversionAttribution.Unattributed);
        await store.AppendConversionAsync(unattributed, StoreTestData.LogEntryFor(unattributed), None);
        time.Advance(TimeSpan.FromSeconds(1));
        var duplicate = StoreTestData.Retry(credited, time.GetUtcNow());
        await store.AppendConversionAsync(duplicate, StoreTestData.LogEntryFor(duplicate), None);

        async Task<IReadOnlyList<PostbackLogEntry>> ListAsync(PostbackOutcome outcome) =>
            await store.ListLogAsync(new PostbackLogQuery { Outcome = outcome }, None);

        (await ListAsync(PostbackOutcome.Rejected)).Should().ContainSingle().Which.Id.Should().Be(rejected.Id);
        (await ListAsync(PostbackOutcome.Accepted)).Should().ContainSingle().Which.ConversionId.Should().Be(credited.Id);
        (await ListAsync(PostbackOutcome.Unattributed)).Should().ContainSingle().Which.ConversionId.Should().Be(unattributed.Id);
        (await ListAsync(PostbackOutcome.Duplicate)).Should().ContainSingle().Which.ConversionId.Should().Be(credited.Id);
        (await store.ListLogAsync(new PostbackLogQuery(), None)).Should().HaveCount(4);
    }

    [Fact]
    public async Task ListLog_FiltersAndCursorCombine()
    {
        var store = await CreateStoreAsync();
        var t = StoreTestData.Epoch;
        var set = "set_" + StoreTestData.NewId();
        var entries = new List<PostbackLogEntry>();
        for (var i = 0; i < 9; i++)
        {
            var entry = StoreTestData.LogEntry(
                i % 3 == 0 ? "set_" + StoreTestData.NewId() : set,
                t.AddSeconds(i / 2),
                i % 4 == 0 ? PostbackOutcome.Accepted : PostbackOutcome.Rejected);
            await store.AppendLogAsync(entry, None);
            entries.Add(entry);
        }

        var all = NewestFirst(entries);
        var matching = NewestFirst(entries.Where(e => e.SetId == set && e.Outcome == PostbackOutcome.Rejected));
        var query = new PostbackLogQuery { SetId = set, Outcome = PostbackOutcome.Rejected, Limit = 2 };

        var page1 = await store.ListLogAsync(query, None);
        var page2 = await store.ListLogAsync(query with { BeforeId = page1[^1].Id }, None);
        var page3 = await store.ListLogAsync(query with { BeforeId = page2[^1].Id }, None);

        page1.Concat(page2).Concat(page3).Select(e => e.Id).Should().Equal(matching);

        // A cursor that does not match the filters still marks a position in the full order.
        var cursor = all[2];
        var afterCursor = all.Skip(3).Where(id => matching.Contains(id)).Take(2);
        (await store.ListLogAsync(query with { BeforeId = cursor }, None)).Select(e => e.Id).Should().Equal(afterCursor);
    }

    [Fact]
    public async Task ListLog_LimitOutOfRange_Throws()
    {
        var store = await CreateStoreAsync();

        await Calling(() => store.ListLogAsync(new PostbackLogQuery { Limit = 0 }, None)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await Calling(() => store.ListLogAsync(new PostbackLogQuery { Limit = 1001 }, None)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    // ------------------------------------------------------------- helpers

    private async Task ConcurrentIdenticalAppendsAcceptExactlyOneAsync(IdempotencyKey key)
    {
        var store = await CreateStoreAsync();
        var template = StoreTestData.Conversion(key: key);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, ConcurrentAppends).Select(_ => Task.Run(async () =>
        {
            var conversion = StoreTestData.Retry(template);
            var entry = StoreTestData.LogEntryFor(conversion);
            await gate.Task;
            var result = await store.AppendConversionAsync(conversion, entry, None);
            return (conversion.Id, Result: result);
        })).ToArray();

        gate.SetResult();
        var results = await Task.WhenAll(tasks);

        var accepted = results.Where(r => !r.Result.IsDuplicate).Should().ContainSingle().Subject;
        accepted.Result.ConversionId.Should().Be(accepted.Id);
        results.Should().OnlyContain(r => r.Result.ConversionId == accepted.Id);
        (await store.ListConversionsByClickAsync(template.Conversion.ClickId, None)).Select(c => c.Id).Should().Equal(accepted.Id);
        foreach (var (id, _) in results.Where(r => r.Result.IsDuplicate))
        {
            (await store.GetConversionAsync(id, None)).Should().BeNull();
        }

        var log = await store.ListLogAsync(new PostbackLogQuery { SetId = template.Conversion.SetId, Limit = 100 }, None);
        log.Should().HaveCount(ConcurrentAppends);
        log.Should().OnlyContain(e => e.ConversionId == accepted.Id);
        log.Count(e => e.Outcome == PostbackOutcome.Accepted).Should().Be(1);
        log.Count(e => e.Outcome == PostbackOutcome.Duplicate).Should().Be(ConcurrentAppends - 1);
    }

    private static string[] NewestFirst(IEnumerable<PostbackLogEntry> entries) =>
    [
        .. entries
            .OrderByDescending(e => e.ReceivedAt)
            .ThenByDescending(e => e.Id, StringComparer.Ordinal)
            .Select(e => e.Id),
    ];

    private static Func<Task> Calling(Func<ValueTask> action) => async () => await action();

    private static Func<Task> Calling<T>(Func<ValueTask<T>> action) => async () => await action();

    private static void ShouldMatch(PostbackSet? actual, PostbackSet expected)
    {
        actual.Should().NotBeNull();
        actual.Should().BeEquivalentTo(expected, o => o.Excluding(s => s.Settings));
        actual!.CreatedAt.Should().Be(expected.CreatedAt);
        if (expected.Settings is { } settings)
        {
            actual.Settings.Should().NotBeNull();
            JsonElement.DeepEquals(actual.Settings!.Value, settings).Should().BeTrue(
                "settings {0} should equal {1}", actual.Settings.Value.GetRawText(), settings.GetRawText());
        }
        else
        {
            actual.Settings.Should().BeNull();
        }
    }
}
