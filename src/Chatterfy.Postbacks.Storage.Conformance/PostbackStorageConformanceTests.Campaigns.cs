namespace Chatterfy.Postbacks.Storage.Conformance;

// CampaignStore: campaigns; ids are case-sensitive, and a deleted campaign's id may be used again.
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>A campaign added is read back and listed with all its values.</summary>
    [Fact]
    public async Task AddCampaign_ThenGetAndList_ReturnAllValues()
    {
        var store = await NewStorageAsync();
        var campaign = ForwardingTestData.Campaign(StoreTestData.Epoch.AddTicks(1_234_560)) with { Name = "Весна 🌸 launch" };
        var unnamed = ForwardingTestData.Campaign() with { Name = null };

        await store.Campaigns.AddAsync(campaign, None);
        await store.Campaigns.AddAsync(unnamed, None);

        (await store.Campaigns.GetAsync(campaign.Id, None)).Should().BeEquivalentTo(campaign);
        (await store.Campaigns.GetAsync(unnamed.Id, None)).Should().BeEquivalentTo(unnamed);
        (await store.Campaigns.ListAsync(None)).Should().BeEquivalentTo([campaign, unnamed]);
    }

    /// <summary>Adding a campaign whose id is used throws <see cref="InvalidOperationException"/> and keeps the first campaign.</summary>
    [Fact]
    public async Task AddCampaign_WithIdInUse_ThrowsAndKeepsTheFirstCampaign()
    {
        var store = await NewStorageAsync();
        var campaign = ForwardingTestData.Campaign();
        await store.Campaigns.AddAsync(campaign, None);
        var clash = ForwardingTestData.Campaign(StoreTestData.Epoch.AddDays(1), campaign.Id) with
        {
            Name = "Other",
            DestinationTemplate = "https://example.com/other",
        };

        await Calling(() => store.Campaigns.AddAsync(clash, None)).Should().ThrowAsync<InvalidOperationException>();

        (await store.Campaigns.GetAsync(campaign.Id, None)).Should().BeEquivalentTo(campaign);
        (await store.Campaigns.ListAsync(None)).Should().ContainSingle().Which.Should().BeEquivalentTo(campaign);
    }

    /// <summary>Campaign ids that differ only in case are different campaigns.</summary>
    [Fact]
    public async Task AddCampaign_IdsThatDifferOnlyInCase_AreDifferentCampaigns()
    {
        var store = await NewStorageAsync();
        var lower = ForwardingTestData.Campaign(id: "spring-" + StoreTestData.NewId());
        var upper = ForwardingTestData.Campaign(id: lower.Id.ToUpperInvariant()) with { Name = "Upper" };

        await store.Campaigns.AddAsync(lower, None);
        await store.Campaigns.AddAsync(upper, None);

        (await store.Campaigns.GetAsync(lower.Id, None)).Should().BeEquivalentTo(lower);
        (await store.Campaigns.GetAsync(upper.Id, None)).Should().BeEquivalentTo(upper);
        (await store.Campaigns.GetAsync("Spring-" + lower.Id["spring-".Length..], None)).Should().BeNull();
        (await store.Campaigns.ListAsync(None)).Should().HaveCount(2);
    }

    /// <summary>Campaigns are listed by id in ordinal order, whatever their creation times.</summary>
    [Fact]
    public async Task ListCampaigns_OrdersByIdOrdinal_NotByCreationTime()
    {
        var store = await NewStorageAsync();
        var suffix = StoreTestData.NewId()[..8];
        string[] ordinalOrder = ["-dash-" + suffix, "9nine-" + suffix, "Zeta-" + suffix, "_under-" + suffix, "alpha-" + suffix];
        var t = StoreTestData.Epoch;
        int[] insertionOrder = [4, 2, 0, 3, 1];
        for (var i = 0; i < insertionOrder.Length; i++)
        {
            // Each campaign is created earlier than the one added before it, so creation time orders them differently.
            await store.Campaigns.AddAsync(ForwardingTestData.Campaign(t.AddSeconds(-i), ordinalOrder[insertionOrder[i]]), None);
        }

        (await store.Campaigns.ListAsync(None)).Select(c => c.Id).Should().Equal(ordinalOrder);
    }

    /// <summary>An update replaces a campaign's name and destination template and keeps its creation time.</summary>
    [Fact]
    public async Task UpdateCampaign_ReplacesNameAndTemplate_KeepsIdAndCreatedAt()
    {
        var store = await NewStorageAsync();
        var campaign = ForwardingTestData.Campaign(StoreTestData.Epoch.AddMilliseconds(5));
        var other = ForwardingTestData.Campaign();
        await store.Campaigns.AddAsync(campaign, None);
        await store.Campaigns.AddAsync(other, None);
        var changes = campaign with
        {
            Name = "Renamed",
            DestinationTemplate = "tg://resolve?domain=mybot&start={{tracker.clickid}}",
            CreatedAt = campaign.CreatedAt.AddDays(3),
        };

        var updated = await store.Campaigns.UpdateAsync(changes, None);

        var expected = campaign with { Name = "Renamed", DestinationTemplate = changes.DestinationTemplate };
        updated.Should().BeEquivalentTo(expected);
        updated!.CreatedAt.Should().Be(campaign.CreatedAt);
        (await store.Campaigns.GetAsync(campaign.Id, None)).Should().BeEquivalentTo(expected);
        (await store.Campaigns.GetAsync(other.Id, None)).Should().BeEquivalentTo(other);
    }

    /// <summary>An update can clear a campaign's name.</summary>
    [Fact]
    public async Task UpdateCampaign_CanClearTheName()
    {
        var store = await NewStorageAsync();
        var campaign = ForwardingTestData.Campaign();
        await store.Campaigns.AddAsync(campaign, None);

        var updated = await store.Campaigns.UpdateAsync(campaign with { Name = null }, None);

        updated.Should().BeEquivalentTo(campaign with { Name = null });
        (await store.Campaigns.GetAsync(campaign.Id, None))!.Name.Should().BeNull();
    }

    /// <summary>Updating an unknown campaign returns <see langword="null"/> and stores nothing.</summary>
    [Fact]
    public async Task UpdateCampaign_UnknownId_ReturnsNullAndStoresNothing()
    {
        var store = await NewStorageAsync();
        var campaign = ForwardingTestData.Campaign();

        (await store.Campaigns.UpdateAsync(campaign, None)).Should().BeNull();

        (await store.Campaigns.GetAsync(campaign.Id, None)).Should().BeNull();
        (await store.Campaigns.ListAsync(None)).Should().BeEmpty();
    }

    /// <summary>A deleted campaign is gone, deleting it again returns <see langword="false"/>, and its id can be used again.</summary>
    [Fact]
    public async Task DeleteCampaign_RemovesIt_AndItsIdCanBeUsedAgain()
    {
        var store = await NewStorageAsync();
        var campaign = ForwardingTestData.Campaign();
        await store.Campaigns.AddAsync(campaign, None);

        (await store.Campaigns.DeleteAsync(campaign.Id, None)).Should().BeTrue();

        (await store.Campaigns.GetAsync(campaign.Id, None)).Should().BeNull();
        (await store.Campaigns.ListAsync(None)).Should().BeEmpty();
        (await store.Campaigns.UpdateAsync(campaign, None)).Should().BeNull();
        (await store.Campaigns.DeleteAsync(campaign.Id, None)).Should().BeFalse();
        var again = ForwardingTestData.Campaign(StoreTestData.Epoch.AddDays(1), campaign.Id) with { Name = "Second life" };
        await store.Campaigns.AddAsync(again, None);
        (await store.Campaigns.GetAsync(campaign.Id, None)).Should().BeEquivalentTo(again);
    }

    /// <summary>Deleting a campaign keeps the forwarding rules that name it.</summary>
    [Fact]
    public async Task DeleteCampaign_KeepsTheRulesThatNameIt()
    {
        var store = await NewStorageAsync();
        var campaign = ForwardingTestData.Campaign();
        await store.Campaigns.AddAsync(campaign, None);
        var rule = ForwardingTestData.CampaignRule(campaignId: campaign.Id);
        await store.ForwardingRules.AddAsync(rule, None);

        (await store.Campaigns.DeleteAsync(campaign.Id, None)).Should().BeTrue();

        ShouldMatch(await store.ForwardingRules.GetAsync(rule.Id, None), rule);
    }
}
