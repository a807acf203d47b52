using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Tests.Ingestion;

public sealed class PostbackIngestorAttributionWindowTests
{
    private const long Hour = 3600;

    [Fact]
    public async Task Ingest_LaterThanTheSetsWindowAfterTheClick_IsUnattributedWithTheWarningAndTheFact()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services, setWindow: Hour);
        services.Time.Advance(TimeSpan.FromSeconds(Hour + 1));

        var result = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id));

        result.Outcome.Should().Be(PostbackOutcome.Unattributed);
        result.Warnings.Should().ContainSingle().Which.Should().Be(new PostbackWarning(
            PostbackWarningCodes.AttributionWindowPassed,
            "The conversion came more than 3600 seconds (the attribution window) after its click; it is stored as unattributed and not forwarded.",
            "clickid"));
        var stored = (await services.Store.Ingest.GetConversionAsync(result.ConversionId!, default))!;
        stored.Attribution.Should().Be(ConversionAttribution.Unattributed);
        stored.AttributionWindowPassed.Should().BeTrue();
        stored.CampaignId.Should().BeNull("an unattributed conversion counts toward the set's campaign scope, here none");
        var log = (await services.Store.Log.ListAsync(new PostbackLogQuery(), default)).Should().ContainSingle().Subject;
        log.Outcome.Should().Be(PostbackOutcome.Unattributed);
        log.Warnings.Should().Equal(PostbackWarningCodes.AttributionWindowPassed);
    }

    [Fact]
    public async Task Ingest_ExactlyTheWindowAfterTheClick_IsAccepted()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services, setWindow: Hour);
        services.Time.Advance(TimeSpan.FromSeconds(Hour));

        var result = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id));

        result.Outcome.Should().Be(PostbackOutcome.Accepted);
        result.Warnings.Should().BeEmpty();
        (await services.Store.Ingest.GetConversionAsync(result.ConversionId!, default))!.AttributionWindowPassed.Should().BeFalse();
    }

    [Fact]
    public async Task Ingest_WithoutAnyWindow_IsAcceptedHoweverLate()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services, setWindow: null);
        services.Time.Advance(TimeSpan.FromDays(400));

        (await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id))).Outcome.Should().Be(PostbackOutcome.Accepted);
    }

    [Theory]
    [InlineData(2 * Hour, PostbackOutcome.Accepted)]
    [InlineData(Hour / 2, PostbackOutcome.Unattributed)]
    public async Task Ingest_TheClicksCampaignHasAWindow_ItWinsOverTheSets(long campaignWindow, PostbackOutcome expected)
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services, setWindow: Hour, campaignWindow: campaignWindow);
        services.Time.Advance(TimeSpan.FromSeconds(Hour) - TimeSpan.FromSeconds(1));

        var result = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id));

        result.Outcome.Should().Be(expected);
    }

    [Fact]
    public async Task Ingest_AfterTheCampaignsWindowIsReplaced_UsesTheNewOneAtOnce()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services, setWindow: null, campaignWindow: Hour);
        services.Time.Advance(TimeSpan.FromSeconds(2 * Hour));
        (await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, tid: "t1"))).Outcome.Should().Be(PostbackOutcome.Unattributed);

        await services.Get<CampaignService>().UpdateAsync(Campaign(3 * Hour));

        (await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, tid: "t2", segment: "deposit"))).Outcome.Should().Be(PostbackOutcome.Accepted);
    }

    [Fact]
    public async Task Ingest_RetryAfterTheWindowOfAnAcceptedConversion_StaysADuplicateOfIt()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services, setWindow: Hour);
        var first = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id));
        services.Time.Advance(TimeSpan.FromSeconds(2 * Hour));

        var retry = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id));

        retry.Outcome.Should().Be(PostbackOutcome.Duplicate);
        retry.ConversionId.Should().Be(first.ConversionId);
        var stored = (await services.Store.Ingest.ListConversionsByClickAsync(click.Id, default)).Should().ContainSingle().Subject;
        stored.Attribution.Should().Be(ConversionAttribution.Credited);
        stored.AttributionWindowPassed.Should().BeFalse();
    }

    [Fact]
    public async Task Replay_OfAPostbackReceivedInsideTheWindow_IsMeasuredFromItsOriginalReceiveTime()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services, setWindow: Hour);
        services.Time.Advance(TimeSpan.FromMinutes(10));
        // Rejected at first (an ambiguous amount); the replay reads the corrected request with the original receive time.
        (await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, amount: "1,234"))).Outcome.Should().Be(PostbackOutcome.Rejected);
        var entry = (await services.Store.Log.ListAsync(new PostbackLogQuery(), default)).Single();
        services.Time.Advance(TimeSpan.FromDays(3));

        var replay = await services.Ingestor.ReplayAsync(entry with { Request = entry.Request with { QueryString = $"?clickid={click.Id}&amount=1234&tid=t1" } });

        replay.Outcome.Should().Be(PostbackOutcome.Accepted, "it was received 10 minutes after the click, inside the window");
        replay.Conversion!.ReceivedAt.Should().Be(TestServices.Start.AddMinutes(10));
    }

    [Fact]
    public async Task Replay_OfAPostbackReceivedAfterTheWindow_IsUnattributedWithTheWarning()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services, setWindow: Hour);
        services.Time.Advance(TimeSpan.FromHours(2));
        (await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, amount: "1,234"))).Outcome.Should().Be(PostbackOutcome.Rejected);
        var entry = (await services.Store.Log.ListAsync(new PostbackLogQuery(), default)).Single();

        var replay = await services.Ingestor.ReplayAsync(entry with { Request = entry.Request with { QueryString = $"?clickid={click.Id}&amount=1234&tid=t1" } });

        replay.Outcome.Should().Be(PostbackOutcome.Unattributed, "received 2 hours after the click, the 1 hour window had passed");
        replay.Warnings.Select(w => w.Code).Should().Equal(PostbackWarningCodes.AttributionWindowPassed);
        (await services.Store.Ingest.GetConversionAsync(replay.ConversionId!, default))!.AttributionWindowPassed.Should().BeTrue();
    }

    private static async Task<(PostbackSet Set, Click Click)> ArrangeAsync(TestServices services, long? setWindow, long? campaignWindow = null)
    {
        await services.Get<CampaignService>().CreateAsync(Campaign(campaignWindow));
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win", AttributionWindowSeconds = setWindow });
        var click = await services.Clicks.CreateAsync(new NewClick { CampaignId = "camp-1" });
        return (set, click);
    }

    private static NewCampaign Campaign(long? window) => new()
    {
        Id = "camp-1",
        DestinationTemplate = "https://t.me/mybot?start={{tracker.clickid}}",
        AttributionWindowSeconds = window,
    };

    private static PostbackRequest FirstDeposit(string clickId, string amount = "50.00", string tid = "t1", string segment = "first-deposit") => new()
    {
        Method = "GET",
        EventSegment = segment,
        QueryString = $"?clickid={clickId}&amount={amount}&tid={tid}",
    };
}
