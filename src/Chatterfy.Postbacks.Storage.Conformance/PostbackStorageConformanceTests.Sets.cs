using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Storage.Conformance;

// PostbackSetStore: sets and their tokens; a set's id and every token it had stay used for good.
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>A set added is read back with all its values.</summary>
    [Fact]
    public async Task AddSet_ThenGetSet_ReturnsAllValues()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set(campaignId: "camp-1");

        await store.Sets.AddAsync(set, None);

        ShouldMatch(await store.Sets.GetAsync(set.Id, None), set);
    }

    /// <summary>A disabled set without campaign or settings round-trips.</summary>
    [Fact]
    public async Task AddSet_DisabledSetWithoutCampaignOrSettings_RoundTrips()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set() with { CampaignId = null, Settings = null, Enabled = false };

        await store.Sets.AddAsync(set, None);

        ShouldMatch(await store.Sets.GetAsync(set.Id, None), set);
    }

    /// <summary>Adding a set whose id is used throws <see cref="InvalidOperationException"/> and keeps the first set.</summary>
    [Fact]
    public async Task AddSet_WithIdInUse_ThrowsAndKeepsTheFirstSet()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        var clash = StoreTestData.Set() with { Id = set.Id, Name = "Other" };

        await Calling(() => store.Sets.AddAsync(clash, None)).Should().ThrowAsync<InvalidOperationException>();

        ShouldMatch(await store.Sets.GetAsync(set.Id, None), set);
        (await store.Sets.FindByTokenAsync(clash.Token, StoreTestData.Epoch, None)).Should().BeNull();
    }

    /// <summary>Adding a set whose token is used throws and stores nothing.</summary>
    [Fact]
    public async Task AddSet_WithTokenInUse_ThrowsAndStoresNothing()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        var clash = StoreTestData.Set() with { Token = set.Token };

        await Calling(() => store.Sets.AddAsync(clash, None)).Should().ThrowAsync<InvalidOperationException>();

        (await store.Sets.GetAsync(clash.Id, None)).Should().BeNull();
        (await store.Sets.FindByTokenAsync(set.Token, StoreTestData.Epoch, None))!.Id.Should().Be(set.Id);
    }

    /// <summary>An unknown set id finds nothing.</summary>
    [Fact]
    public async Task GetSet_UnknownId_ReturnsNull()
    {
        var store = await NewStorageAsync();
        await store.Sets.AddAsync(StoreTestData.Set(), None);

        (await store.Sets.GetAsync(StoreTestData.NewId(), None)).Should().BeNull();
    }

    /// <summary>An empty store lists no sets.</summary>
    [Fact]
    public async Task ListSets_EmptyStore_ReturnsEmpty()
    {
        var store = await NewStorageAsync();

        (await store.Sets.ListAsync(None)).Should().BeEmpty();
    }

    /// <summary>Enabled and disabled sets are listed oldest first, ties broken by id.</summary>
    [Fact]
    public async Task ListSets_ReturnsEnabledAndDisabledSetsOldestFirst_TiesBrokenById()
    {
        var store = await NewStorageAsync();
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
            await store.Sets.AddAsync(set, None);
        }

        var listed = await store.Sets.ListAsync(None);

        var expected = sets.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal).Select(s => s.Id);
        listed.Select(s => s.Id).Should().Equal(expected);
        ShouldMatch(listed.Single(s => s.Id == sets[1].Id), sets[1]);
    }

    /// <summary>An update replaces a set's name, campaign, settings and enabled flag, and keeps its id, token, network and creation time.</summary>
    [Fact]
    public async Task UpdateSet_ReplacesNameCampaignSettingsAndEnabled_KeepsIdTokenNetworkAndCreatedAt()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set(campaignId: "camp-1");
        await store.Sets.AddAsync(set, None);
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

        var updated = await store.Sets.UpdateAsync(changes, None);

        var expected = set with { Name = changes.Name, CampaignId = "camp-2", Settings = changes.Settings, Enabled = false };
        ShouldMatch(updated, expected);
        ShouldMatch(await store.Sets.GetAsync(set.Id, None), expected);
        ShouldMatch(await store.Sets.FindByTokenAsync(set.Token, StoreTestData.Epoch, None), expected);
        (await store.Sets.FindByTokenAsync(changes.Token, StoreTestData.Epoch, None)).Should().BeNull();
    }

    /// <summary>An update can clear a set's campaign and settings.</summary>
    [Fact]
    public async Task UpdateSet_CanClearCampaignAndSettings()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set(campaignId: "camp-1");
        await store.Sets.AddAsync(set, None);

        var updated = await store.Sets.UpdateAsync(set with { CampaignId = null, Settings = null }, None);

        var expected = set with { CampaignId = null, Settings = null };
        ShouldMatch(updated, expected);
        ShouldMatch(await store.Sets.GetAsync(set.Id, None), expected);
    }

    /// <summary>Updating an unknown set returns <see langword="null"/> and stores nothing.</summary>
    [Fact]
    public async Task UpdateSet_UnknownId_ReturnsNullAndStoresNothing()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();

        (await store.Sets.UpdateAsync(set, None)).Should().BeNull();

        (await store.Sets.GetAsync(set.Id, None)).Should().BeNull();
        (await store.Sets.ListAsync(None)).Should().BeEmpty();
    }

    /// <summary>A set is found by its current token.</summary>
    [Fact]
    public async Task FindSetByToken_CurrentToken_ReturnsTheSet()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        await store.Sets.AddAsync(StoreTestData.Set(), None);

        ShouldMatch(await store.Sets.FindByTokenAsync(set.Token, StoreTestData.Epoch.AddYears(5), None), set);
    }

    /// <summary>An unknown token, or one that differs only in case, finds nothing.</summary>
    [Fact]
    public async Task FindSetByToken_UnknownOrDifferentlyCasedToken_ReturnsNull()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);

        (await store.Sets.FindByTokenAsync("tok_" + StoreTestData.NewId(), StoreTestData.Epoch, None)).Should().BeNull();
        (await store.Sets.FindByTokenAsync(set.Token.ToUpperInvariant(), StoreTestData.Epoch, None)).Should().BeNull();
    }

    /// <summary>A disabled set is found by its token; the caller decides.</summary>
    [Fact]
    public async Task FindSetByToken_DisabledSet_ReturnsIt()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set() with { Enabled = false };
        await store.Sets.AddAsync(set, None);

        var found = await store.Sets.FindByTokenAsync(set.Token, StoreTestData.Epoch, None);

        ShouldMatch(found, set);
        found!.Enabled.Should().BeFalse();
    }

    /// <summary>Rotating returns the set with its new token and keeps everything else.</summary>
    [Fact]
    public async Task RotateToken_ReturnsTheSetWithTheNewToken_AndKeepsEverythingElse()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set(campaignId: "camp-1");
        await store.Sets.AddAsync(set, None);
        var newToken = "tok_" + StoreTestData.NewId();

        var rotated = await store.Sets.RotateTokenAsync(set.Id, newToken, null, None);

        var expected = set with { Token = newToken };
        ShouldMatch(rotated, expected);
        ShouldMatch(await store.Sets.GetAsync(set.Id, None), expected);
        ShouldMatch(await store.Sets.FindByTokenAsync(newToken, StoreTestData.Epoch, None), expected);
        (await store.Sets.ListAsync(None)).Should().ContainSingle().Which.Token.Should().Be(newToken);
    }

    /// <summary>Without a grace period, the previous token stops working at once.</summary>
    [Fact]
    public async Task RotateToken_WithoutGracePeriod_RetiresThePreviousTokenAtOnce()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        var newToken = "tok_" + StoreTestData.NewId();

        await store.Sets.RotateTokenAsync(set.Id, newToken, previousTokenValidUntil: null, None);

        (await store.Sets.FindByTokenAsync(set.Token, time.GetUtcNow(), None)).Should().BeNull();
        (await store.Sets.FindByTokenAsync(newToken, time.GetUtcNow(), None))!.Id.Should().Be(set.Id);
    }

    /// <summary>With a grace period, the previous token works until its end (exclusive).</summary>
    [Fact]
    public async Task RotateToken_WithGracePeriod_PreviousTokenWorksUntilTheGraceEnds()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        var newToken = "tok_" + StoreTestData.NewId();
        var graceEnd = time.GetUtcNow().AddHours(24);

        await store.Sets.RotateTokenAsync(set.Id, newToken, graceEnd, None);

        var duringGrace = await store.Sets.FindByTokenAsync(set.Token, time.GetUtcNow(), None);
        duringGrace!.Id.Should().Be(set.Id);
        duringGrace.Token.Should().Be(newToken, "the set is returned with its current token");
        time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        (await store.Sets.FindByTokenAsync(set.Token, time.GetUtcNow(), None))!.Id.Should().Be(set.Id);
        time.Advance(TimeSpan.FromSeconds(1));
        (await store.Sets.FindByTokenAsync(set.Token, time.GetUtcNow(), None)).Should().BeNull("the grace end is exclusive");
        (await store.Sets.FindByTokenAsync(newToken, time.GetUtcNow(), None))!.Id.Should().Be(set.Id);
    }

    /// <summary>A second rotation retires the first token at once and gives the second its own grace period.</summary>
    [Fact]
    public async Task RotateToken_Twice_ReplacesThePreviousToken()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        var second = "tok_" + StoreTestData.NewId();
        var third = "tok_" + StoreTestData.NewId();

        await store.Sets.RotateTokenAsync(set.Id, second, time.GetUtcNow().AddHours(24), None);
        time.Advance(TimeSpan.FromHours(1));
        await store.Sets.RotateTokenAsync(set.Id, third, time.GetUtcNow().AddHours(2), None);

        (await store.Sets.FindByTokenAsync(set.Token, time.GetUtcNow(), None)).Should().BeNull("a second rotation retires the first token");
        (await store.Sets.FindByTokenAsync(second, time.GetUtcNow(), None))!.Token.Should().Be(third);
        (await store.Sets.FindByTokenAsync(third, time.GetUtcNow(), None))!.Token.Should().Be(third);
        time.Advance(TimeSpan.FromHours(2));
        (await store.Sets.FindByTokenAsync(second, time.GetUtcNow(), None)).Should().BeNull();
        (await store.Sets.FindByTokenAsync(third, time.GetUtcNow(), None))!.Id.Should().Be(set.Id);
    }

    /// <summary>Rotating twice, the second time without grace, retires both earlier tokens.</summary>
    [Fact]
    public async Task RotateToken_TwiceWithoutGracePeriod_RetiresBothEarlierTokens()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        var second = "tok_" + StoreTestData.NewId();
        var third = "tok_" + StoreTestData.NewId();

        await store.Sets.RotateTokenAsync(set.Id, second, time.GetUtcNow().AddHours(24), None);
        await store.Sets.RotateTokenAsync(set.Id, third, null, None);

        (await store.Sets.FindByTokenAsync(set.Token, time.GetUtcNow(), None)).Should().BeNull();
        (await store.Sets.FindByTokenAsync(second, time.GetUtcNow(), None)).Should().BeNull();
        (await store.Sets.FindByTokenAsync(third, time.GetUtcNow(), None))!.Id.Should().Be(set.Id);
    }

    /// <summary>Rotating the token of an unknown set returns <see langword="null"/> and reserves nothing.</summary>
    [Fact]
    public async Task RotateToken_UnknownSet_ReturnsNull()
    {
        var store = await NewStorageAsync();
        var token = "tok_" + StoreTestData.NewId();

        (await store.Sets.RotateTokenAsync(StoreTestData.NewId(), token, null, None)).Should().BeNull();

        (await store.Sets.FindByTokenAsync(token, StoreTestData.Epoch, None)).Should().BeNull();
    }

    /// <summary>Rotating to a token that is or was any set's throws and keeps the current token.</summary>
    [Fact]
    public async Task RotateToken_ToATokenThatIsOrWasInUse_ThrowsAndKeepsTheCurrentToken()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var set = StoreTestData.Set();
        var other = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        await store.Sets.AddAsync(other, None);
        var second = "tok_" + StoreTestData.NewId();
        await store.Sets.RotateTokenAsync(set.Id, second, null, None);

        await Calling(() => store.Sets.RotateTokenAsync(set.Id, other.Token, null, None)).Should().ThrowAsync<InvalidOperationException>();
        await Calling(() => store.Sets.RotateTokenAsync(set.Id, second, null, None)).Should().ThrowAsync<InvalidOperationException>();
        await Calling(() => store.Sets.RotateTokenAsync(set.Id, set.Token, null, None)).Should().ThrowAsync<InvalidOperationException>();

        (await store.Sets.GetAsync(set.Id, None))!.Token.Should().Be(second);
        (await store.Sets.FindByTokenAsync(other.Token, time.GetUtcNow(), None))!.Id.Should().Be(other.Id);
    }

    /// <summary>An update after a rotation keeps the new token and the previous token's grace period.</summary>
    [Fact]
    public async Task UpdateSet_AfterRotation_KeepsTheNewTokenAndTheGracePeriod()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        var newToken = "tok_" + StoreTestData.NewId();
        await store.Sets.RotateTokenAsync(set.Id, newToken, time.GetUtcNow().AddHours(1), None);

        var updated = await store.Sets.UpdateAsync(set with { Name = "Renamed" }, None);

        updated!.Token.Should().Be(newToken);
        updated.Name.Should().Be("Renamed");
        (await store.Sets.FindByTokenAsync(set.Token, time.GetUtcNow(), None))!.Name.Should().Be("Renamed");
    }

    /// <summary>A deleted set is no longer found by id, by either token, nor listed.</summary>
    [Fact]
    public async Task DeleteSet_SetIsNoLongerFoundByIdTokenOrList()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var set = StoreTestData.Set();
        var kept = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        await store.Sets.AddAsync(kept, None);
        var newToken = "tok_" + StoreTestData.NewId();
        await store.Sets.RotateTokenAsync(set.Id, newToken, time.GetUtcNow().AddHours(24), None);

        (await store.Sets.DeleteAsync(set.Id, None)).Should().BeTrue();

        (await store.Sets.GetAsync(set.Id, None)).Should().BeNull();
        (await store.Sets.FindByTokenAsync(newToken, time.GetUtcNow(), None)).Should().BeNull();
        (await store.Sets.FindByTokenAsync(set.Token, time.GetUtcNow(), None)).Should().BeNull("a deleted set's previous token is gone too");
        (await store.Sets.ListAsync(None)).Select(s => s.Id).Should().Equal(kept.Id);
        ShouldMatch(await store.Sets.GetAsync(kept.Id, None), kept);
    }

    /// <summary>The ids of existing, disabled and deleted sets are used; an unknown or differently cased id is not.</summary>
    [Fact]
    public async Task IsSetIdUsed_ExistingDisabledAndDeletedSets_AreUsedAndAnUnknownIdIsNot()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        var disabled = StoreTestData.Set() with { Enabled = false };
        var deleted = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        await store.Sets.AddAsync(disabled, None);
        await store.Sets.AddAsync(deleted, None);
        await store.Sets.DeleteAsync(deleted.Id, None);

        (await store.Sets.IsIdUsedAsync(set.Id, None)).Should().BeTrue();
        (await store.Sets.IsIdUsedAsync(disabled.Id, None)).Should().BeTrue();
        (await store.Sets.IsIdUsedAsync(deleted.Id, None)).Should().BeTrue("a deleted set's id stays used");
        (await store.Sets.IsIdUsedAsync(StoreTestData.NewId(), None)).Should().BeFalse();
        (await store.Sets.IsIdUsedAsync(set.Id.ToUpperInvariant(), None)).Should().BeFalse("ids are compared ordinally");
    }

    /// <summary>Deleting an unknown or already deleted set returns <see langword="false"/>.</summary>
    [Fact]
    public async Task DeleteSet_UnknownOrAlreadyDeletedSet_ReturnsFalse()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);

        (await store.Sets.DeleteAsync(StoreTestData.NewId(), None)).Should().BeFalse();
        (await store.Sets.DeleteAsync(set.Id, None)).Should().BeTrue();
        (await store.Sets.DeleteAsync(set.Id, None)).Should().BeFalse();
    }

    /// <summary>Updating or rotating a deleted set returns <see langword="null"/>.</summary>
    [Fact]
    public async Task DeleteSet_UpdateAndRotateOfTheDeletedSet_ReturnNull()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        await store.Sets.DeleteAsync(set.Id, None);

        (await store.Sets.UpdateAsync(set with { Name = "Back" }, None)).Should().BeNull();
        (await store.Sets.RotateTokenAsync(set.Id, "tok_" + StoreTestData.NewId(), null, None)).Should().BeNull();
        (await store.Sets.GetAsync(set.Id, None)).Should().BeNull();
    }

    /// <summary>A deleted set's id and every token it had stay used.</summary>
    [Fact]
    public async Task DeleteSet_ItsIdAndTokensStayUsed()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        var newToken = "tok_" + StoreTestData.NewId();
        await store.Sets.RotateTokenAsync(set.Id, newToken, null, None);
        await store.Sets.DeleteAsync(set.Id, None);
        var other = StoreTestData.Set();
        await store.Sets.AddAsync(other, None);

        await Calling(() => store.Sets.AddAsync(StoreTestData.Set() with { Id = set.Id }, None)).Should().ThrowAsync<InvalidOperationException>();
        await Calling(() => store.Sets.AddAsync(StoreTestData.Set() with { Token = set.Token }, None)).Should().ThrowAsync<InvalidOperationException>();
        await Calling(() => store.Sets.AddAsync(StoreTestData.Set() with { Token = newToken }, None)).Should().ThrowAsync<InvalidOperationException>();
        await Calling(() => store.Sets.RotateTokenAsync(other.Id, newToken, null, None)).Should().ThrowAsync<InvalidOperationException>();

        (await store.Sets.ListAsync(None)).Select(s => s.Id).Should().Equal(other.Id);
    }

    /// <summary>Deleting a set keeps its conversions and log entries.</summary>
    [Fact]
    public async Task DeleteSet_KeepsItsConversionsAndLogEntries()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        var conversion = StoreTestData.Conversion(set.Id);
        await StoreAsync(store, conversion);
        var rejected = StoreTestData.LogEntry(set.Id);
        await LogAsync(store, rejected);

        await store.Sets.DeleteAsync(set.Id, None);

        (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().NotBeNull();
        (await store.Ingest.ListConversionsByClickAsync(conversion.Conversion.ClickId, None)).Should().ContainSingle();
        (await store.Log.ListAsync(new PostbackLogQuery { SetId = set.Id }, None)).Should().HaveCount(2);
    }

    /// <summary>A set is read by id whether or not it was deleted, as last stored; an id no set ever had reads nothing.</summary>
    [Fact]
    public async Task GetSetIncludingDeleted_ReturnsExistingAndDeletedSetsAsLastStored()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set(campaignId: "camp-1");
        var deleted = StoreTestData.Set(campaignId: "camp-9");
        await store.Sets.AddAsync(set, None);
        await store.Sets.AddAsync(deleted, None);
        var renamed = await store.Sets.UpdateAsync(deleted with { Name = "Renamed" }, None);
        await store.Sets.DeleteAsync(deleted.Id, None);

        ShouldMatch(await store.Sets.GetIncludingDeletedAsync(set.Id, None), set);
        ShouldMatch(await store.Sets.GetIncludingDeletedAsync(deleted.Id, None), renamed!);
        (await store.Sets.GetIncludingDeletedAsync("set_" + StoreTestData.NewId(), None)).Should().BeNull();
        (await store.Sets.GetIncludingDeletedAsync(set.Id.ToUpperInvariant(), None)).Should().BeNull();
    }
}
