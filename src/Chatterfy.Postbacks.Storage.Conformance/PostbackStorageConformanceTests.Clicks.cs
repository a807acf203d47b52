using System.Net;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.Conformance;

// ClickStore: clicks, the late attribution a new click applies (ConversionCredit), and erasing personal data.
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>A click added is found with all its values.</summary>
    [Fact]
    public async Task AddClick_ThenFindClick_ReturnsAllValues()
    {
        var store = await NewStorageAsync();
        var click = StoreTestData.Click(StoreTestData.Epoch.AddMinutes(-5));
        await AddClickAsync(store, click);
        await AddClickAsync(store, StoreTestData.Click());

        var found = await store.Clicks.FindAsync(click.Id, None);

        found.Should().BeEquivalentTo(click);
        found!.IpAddress.Should().Be(IPAddress.Parse("203.0.113.7"));
        found.CreatedAt.Should().Be(click.CreatedAt);
    }

    /// <summary>A click with only its id and creation time round-trips.</summary>
    [Fact]
    public async Task AddClick_WithOnlyRequiredValues_RoundTrips()
    {
        var store = await NewStorageAsync();
        var click = new Click { Id = "c" + StoreTestData.NewId()[..9], CreatedAt = StoreTestData.Epoch };
        await AddClickAsync(store, click);

        (await store.Clicks.FindAsync(click.Id, None)).Should().BeEquivalentTo(click);
    }

    /// <summary>Adding a click whose id is used throws <see cref="InvalidOperationException"/> and keeps the first click.</summary>
    [Fact]
    public async Task AddClick_WithIdInUse_ThrowsAndKeepsTheFirstClick()
    {
        var store = await NewStorageAsync();
        var click = StoreTestData.Click(campaignId: "camp-1");
        await AddClickAsync(store, click);
        var clash = click with { CampaignId = "camp-2" };

        await Calling(() => store.Clicks.AddAsync(clash, StoreTestData.Credit(clash), None)).Should().ThrowAsync<InvalidOperationException>();

        (await store.Clicks.FindAsync(click.Id, None))!.CampaignId.Should().Be("camp-1");
    }

    /// <summary>An unknown click id, or one that differs only in case, finds nothing.</summary>
    [Fact]
    public async Task FindClick_UnknownOrDifferentlyCasedId_ReturnsNull()
    {
        var store = await NewStorageAsync();
        var click = StoreTestData.Click();
        await AddClickAsync(store, click);

        (await store.Clicks.FindAsync("x" + StoreTestData.NewId()[..11], None)).Should().BeNull();
        (await store.Clicks.FindAsync(click.Id.ToUpperInvariant(), None)).Should().BeNull("click ids are case-sensitive");
    }

    /// <summary>Forgetting a click's personal data erases its IP address and user agent and keeps everything else; an unknown click returns <see langword="false"/>.</summary>
    [Fact]
    public async Task ForgetClickPersonalData_ErasesIpAndUserAgentOnly()
    {
        var store = await NewStorageAsync();
        var click = StoreTestData.Click();
        await AddClickAsync(store, click);

        (await store.Clicks.ForgetPersonalDataAsync(click.Id, None)).Should().BeTrue();

        var stored = await store.Clicks.FindAsync(click.Id, None);
        stored.Should().BeEquivalentTo(click with { IpAddress = null, UserAgent = null });
        stored!.IpAddress.Should().BeNull();
        stored.UserAgent.Should().BeNull();
        stored.Fbclid.Should().Be(click.Fbclid);
        stored.Fields.Should().BeEquivalentTo(click.Fields);
        (await store.Clicks.ForgetPersonalDataAsync("unknown-click", None)).Should().BeFalse();
    }

    // ------------------------------------------------------------- late attribution (ConversionCredit)

    /// <summary>A new click credits, to its campaign and in its transaction, the unattributed conversions of its id that the credit lists (no campaign, or its own), returns how many, and leaves their log entries as they were.</summary>
    [Fact]
    public async Task AddClick_CreditsUnattributedConversionsThatWereWaitingForIt()
    {
        var store = await NewStorageAsync();
        var click = StoreTestData.Click(campaignId: "camp-1");
        var waiting = Make("set-unscoped", PostbackEvent.FirstDeposit, 10m, "USD", ConversionAttribution.Unattributed, clickId: click.Id, campaignId: null);
        var sameCampaign = Make("set-scoped", PostbackEvent.Deposit, 3m, "USD", ConversionAttribution.Unattributed, clickId: click.Id, campaignId: "camp-1");
        var otherCampaign = Make("set-other", PostbackEvent.Registration, null, null, ConversionAttribution.Unattributed, clickId: click.Id, campaignId: "camp-2");
        await StoreAsync(store, waiting);
        await StoreAsync(store, sameCampaign);
        await StoreAsync(store, otherCampaign);
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None)).Should().OnlyContain(t => t.Attribution == ConversionAttribution.Unattributed);

        var credited = await store.Clicks.AddAsync(click, StoreTestData.Credit(click), None);

        credited.Should().Be(2);
        (await store.Ingest.GetConversionAsync(waiting.Id, None)).Should().BeEquivalentTo(
            waiting with { Attribution = ConversionAttribution.Credited, CampaignId = "camp-1", DepositNumber = ExpectedAlone(ConversionAttribution.Credited, waiting.Conversion.Event.Kind) });
        (await store.Ingest.GetConversionAsync(sameCampaign.Id, None)).Should().BeEquivalentTo(
            sameCampaign with { Attribution = ConversionAttribution.Credited, DepositNumber = 2 }, "the credited deposit follows the first deposit");
        (await store.Ingest.GetConversionAsync(otherCampaign.Id, None)).Should().BeEquivalentTo(otherCampaign);
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None)).Should().Equal(
            new ConversionTotal(PostbackEventKind.Registration, ConversionAttribution.Unattributed, null, 1, 0m),
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", 1, 10m) { DepositBucket = 1 },
            new ConversionTotal(PostbackEventKind.Deposit, ConversionAttribution.Credited, "USD", 1, 3m) { DepositBucket = 2 });
        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().HaveCount(3)
            .And.OnlyContain(e => e.Outcome == PostbackOutcome.Unattributed, "log entries keep the outcome they were answered with");
    }

    /// <summary>Without a <see langword="null"/> item in <see cref="ConversionCredit.CampaignIds"/>, conversions without a campaign stay unattributed.</summary>
    [Fact]
    public async Task AddClick_CreditWithoutANullItem_LeavesConversionsWithoutACampaignUnattributed()
    {
        var store = await NewStorageAsync();
        var click = StoreTestData.Click(campaignId: "camp-1");
        var withoutCampaign = Make("set-a", PostbackEvent.FirstDeposit, 10m, "USD", ConversionAttribution.Unattributed, clickId: click.Id, campaignId: null);
        var ofTheCampaign = Make("set-b", PostbackEvent.FirstDeposit, 20m, "USD", ConversionAttribution.Unattributed, clickId: click.Id, campaignId: "camp-1");
        await StoreAsync(store, withoutCampaign);
        await StoreAsync(store, ofTheCampaign);

        var credited = await store.Clicks.AddAsync(click, new ConversionCredit { CampaignIds = ["camp-1"], NewCampaignId = "camp-1" }, None);

        credited.Should().Be(1);
        (await store.Ingest.GetConversionAsync(withoutCampaign.Id, None)).Should().BeEquivalentTo(withoutCampaign);
        (await store.Ingest.GetConversionAsync(ofTheCampaign.Id, None))!.Attribution.Should().Be(ConversionAttribution.Credited);
    }

    /// <summary>Conversions of every listed campaign become credited to <see cref="ConversionCredit.NewCampaignId"/>; an unlisted campaign's stay unattributed.</summary>
    [Fact]
    public async Task AddClick_CreditsToTheNewCampaign_ConversionsOfEveryListedCampaign()
    {
        var store = await NewStorageAsync();
        var click = StoreTestData.Click(campaignId: "camp-new");
        var a = Make("set-a", PostbackEvent.Deposit, 1m, "USD", ConversionAttribution.Unattributed, clickId: click.Id, campaignId: "camp-a");
        var b = Make("set-b", PostbackEvent.Deposit, 2m, "USD", ConversionAttribution.Unattributed, clickId: click.Id, campaignId: "camp-b");
        var c = Make("set-c", PostbackEvent.Deposit, 4m, "USD", ConversionAttribution.Unattributed, clickId: click.Id, campaignId: "camp-c");
        await StoreAsync(store, a);
        await StoreAsync(store, b);
        await StoreAsync(store, c);

        var credited = await store.Clicks.AddAsync(click, new ConversionCredit { CampaignIds = ["camp-a", "camp-b"], NewCampaignId = "camp-x" }, None);

        credited.Should().Be(2);

        // Received at the same time: numbered in id order.
        var aFirst = string.CompareOrdinal(a.Id, b.Id) < 0;
        (await store.Ingest.GetConversionAsync(a.Id, None)).Should().BeEquivalentTo(a with { Attribution = ConversionAttribution.Credited, CampaignId = "camp-x", DepositNumber = aFirst ? 2 : 3 });
        (await store.Ingest.GetConversionAsync(b.Id, None)).Should().BeEquivalentTo(b with { Attribution = ConversionAttribution.Credited, CampaignId = "camp-x", DepositNumber = aFirst ? 3 : 2 }, "the credited deposits are numbered in receive order");
        (await store.Ingest.GetConversionAsync(c.Id, None)).Should().BeEquivalentTo(c, "camp-c is not listed");
    }

    /// <summary>A click without a campaign credits the conversions without a campaign, which keep no campaign.</summary>
    [Fact]
    public async Task AddClick_WithoutACampaign_CreditsConversionsWithoutACampaignToNone()
    {
        var store = await NewStorageAsync();
        var click = StoreTestData.Click(campaignId: null);
        var withoutCampaign = Make("set-a", PostbackEvent.Registration, null, null, ConversionAttribution.Unattributed, clickId: click.Id, campaignId: null);
        var scoped = Make("set-b", PostbackEvent.Registration, null, null, ConversionAttribution.Unattributed, clickId: click.Id, campaignId: "camp-2");
        await StoreAsync(store, withoutCampaign);
        await StoreAsync(store, scoped);

        var credited = await store.Clicks.AddAsync(click, StoreTestData.Credit(click), None);

        credited.Should().Be(1);
        var stored = await store.Ingest.GetConversionAsync(withoutCampaign.Id, None);
        stored!.Attribution.Should().Be(ConversionAttribution.Credited);
        stored.CampaignId.Should().BeNull();
        (await store.Ingest.GetConversionAsync(scoped.Id, None)).Should().BeEquivalentTo(scoped);
    }

    /// <summary>Only unattributed conversions of the click's own id (case-sensitive) are credited; a credited conversion keeps its campaign.</summary>
    [Fact]
    public async Task AddClick_CreditsOnlyUnattributedConversionsOfItsOwnId()
    {
        var store = await NewStorageAsync();
        var click = StoreTestData.Click(campaignId: "camp-1");
        var waiting = Make("set-a", PostbackEvent.FirstDeposit, 1m, "USD", ConversionAttribution.Unattributed, clickId: click.Id, campaignId: null);
        var alreadyCredited = Make("set-b", PostbackEvent.Deposit, 2m, "USD", ConversionAttribution.Credited, clickId: click.Id, campaignId: null);
        var otherClick = Make("set-c", PostbackEvent.FirstDeposit, 3m, "USD", ConversionAttribution.Unattributed, campaignId: null);
        var otherCase = Make("set-d", PostbackEvent.FirstDeposit, 4m, "USD", ConversionAttribution.Unattributed, clickId: click.Id.ToUpperInvariant(), campaignId: null);
        foreach (var conversion in new[] { waiting, alreadyCredited, otherClick, otherCase })
        {
            await StoreAsync(store, conversion);
        }

        var credited = await store.Clicks.AddAsync(click, StoreTestData.Credit(click), None);

        credited.Should().Be(1);
        (await store.Ingest.GetConversionAsync(waiting.Id, None))!.Attribution.Should().Be(ConversionAttribution.Credited);
        (await store.Ingest.GetConversionAsync(alreadyCredited.Id, None)).Should().BeEquivalentTo(alreadyCredited, "a credited conversion is left as it is, though no campaign is listed");
        (await store.Ingest.GetConversionAsync(otherClick.Id, None)).Should().BeEquivalentTo(otherClick);
        (await store.Ingest.GetConversionAsync(otherCase.Id, None)).Should().BeEquivalentTo(otherCase, "click ids are case-sensitive");
    }

    /// <summary>A credit that lists no campaign stores the click and credits nothing.</summary>
    [Fact]
    public async Task AddClick_CreditThatListsNoCampaign_StoresTheClickAndCreditsNothing()
    {
        var store = await NewStorageAsync();
        var click = StoreTestData.Click(campaignId: "camp-1");
        var waiting = Make("set-a", PostbackEvent.FirstDeposit, 1m, "USD", ConversionAttribution.Unattributed, clickId: click.Id, campaignId: null);
        await StoreAsync(store, waiting);

        (await store.Clicks.AddAsync(click, StoreTestData.NoCredit(), None)).Should().Be(0);

        (await store.Clicks.FindAsync(click.Id, None)).Should().BeEquivalentTo(click);
        (await store.Ingest.GetConversionAsync(waiting.Id, None)).Should().BeEquivalentTo(waiting);
    }

    /// <summary>A click refused because its id is used credits nothing.</summary>
    [Fact]
    public async Task AddClick_WithIdInUse_CreditsNothing()
    {
        var store = await NewStorageAsync();
        var click = StoreTestData.Click(campaignId: "camp-1");
        await AddClickAsync(store, click);
        var waiting = Make("set-a", PostbackEvent.FirstDeposit, 1m, "USD", ConversionAttribution.Unattributed, clickId: click.Id, campaignId: null);
        await StoreAsync(store, waiting);

        await Calling(() => store.Clicks.AddAsync(click, StoreTestData.Credit(click), None)).Should().ThrowAsync<InvalidOperationException>();

        (await store.Ingest.GetConversionAsync(waiting.Id, None)).Should().BeEquivalentTo(waiting, "nothing of a refused click is stored");
    }

    /// <summary>Adds a click with the credit the core gives it, expecting no conversion to be waiting for it.</summary>
    private static async Task AddClickAsync(PostbackStorage store, Click click) =>
        (await store.Clicks.AddAsync(click, StoreTestData.Credit(click), None)).Should().Be(0);
}
