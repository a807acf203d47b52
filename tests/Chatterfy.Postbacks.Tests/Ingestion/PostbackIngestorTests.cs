using System.Text.Json;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Tests.Ingestion;

public sealed class PostbackIngestorTests
{
    [Fact]
    public async Task Ingest_FirstDepositForKnownClick_IsAcceptedStoredAndLogged()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services);

        var result = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "50.00"));

        result.Outcome.Should().Be(PostbackOutcome.Accepted);
        result.ConversionId.Should().NotBeNull();
        var stored = await services.Store.Ingest.GetConversionAsync(result.ConversionId!, default);
        stored!.Attribution.Should().Be(ConversionAttribution.Credited);
        stored.Conversion.Amount.Should().Be(50.00m);
        stored.CampaignId.Should().Be("camp-1");
        var log = await services.Store.Log.ListAsync(new PostbackLogQuery { SetId = set.Id }, default);
        log.Should().ContainSingle().Which.Outcome.Should().Be(PostbackOutcome.Accepted);
        log[0].ConversionId.Should().Be(result.ConversionId);
    }

    [Fact]
    public async Task Ingest_RetriedFirstDeposit_IsDuplicateWithOriginalId()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services);
        var first = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "50.00"));
        services.Time.Advance(TimeSpan.FromMinutes(5));

        var retry = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "50.00", tid: "changed"));

        retry.Outcome.Should().Be(PostbackOutcome.Duplicate);
        retry.ConversionId.Should().Be(first.ConversionId);
        (await services.Store.Ingest.ListConversionsByClickAsync(click.Id, default)).Should().ContainSingle();
    }

    [Fact]
    public async Task Ingest_ThirtyTwoConcurrentIdenticalPostbacks_CountOnce()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services);

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ =>
            Task.Run(async () => await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "10")))));

        results.Count(r => r.Outcome == PostbackOutcome.Accepted).Should().Be(1);
        results.Count(r => r.Outcome == PostbackOutcome.Duplicate).Should().Be(31);
        results.Select(r => r.ConversionId).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task Ingest_UnknownClick_IsStoredAsUnattributed()
    {
        using var services = new TestServices();
        var (set, _) = await ArrangeAsync(services);

        var result = await services.Ingestor.IngestAsync(set.Token, FirstDeposit("unknown0001", "5"));

        result.Outcome.Should().Be(PostbackOutcome.Unattributed);
        result.Warnings.Select(w => w.Code).Should().Contain(PostbackWarningCodes.ClickUnknown);
        (await services.Store.Ingest.GetConversionAsync(result.ConversionId!, default))!.Attribution.Should().Be(ConversionAttribution.Unattributed);
    }

    [Fact]
    public async Task Ingest_ClickOfAnotherCampaignOnScopedSet_IsUnattributedWithCampaignMismatch()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "Scoped", NetworkId = "1win", CampaignId = "camp-1" });
        var click = await services.Clicks.CreateAsync(new NewClick { CampaignId = "camp-2" });

        var result = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "5"));

        result.Outcome.Should().Be(PostbackOutcome.Unattributed);
        result.Warnings.Select(w => w.Code).Should().Contain(PostbackWarningCodes.CampaignMismatch);
    }

    [Fact]
    public async Task Ingest_InvalidPostback_IsRejectedLoggedAndNotCounted()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services);

        var result = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "1,234"));

        result.Outcome.Should().Be(PostbackOutcome.Rejected);
        result.Rejection!.Code.Should().Be(PostbackRejectionCodes.AmountAmbiguous);
        (await services.Store.Ingest.ListConversionsByClickAsync(click.Id, default)).Should().BeEmpty();
        var log = await services.Store.Log.ListAsync(new PostbackLogQuery { Outcome = PostbackOutcome.Rejected }, default);
        log.Should().ContainSingle().Which.Code.Should().Be(PostbackRejectionCodes.AmountAmbiguous);
        log[0].Request.QueryString.Should().Contain("amount=1,234");
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("../../../../etc/passwd0")]
    public async Task Ingest_UnknownToken_IsNotFoundAndLogsNothing(string token)
    {
        using var services = new TestServices();
        await ArrangeAsync(services);

        var result = await services.Ingestor.IngestAsync(token, FirstDeposit("abc123XYZ0", "5"));

        result.IsSetFound.Should().BeFalse();
        (await services.Store.Log.ListAsync(new PostbackLogQuery(), default)).Should().BeEmpty();
    }

    [Fact]
    public async Task Ingest_DisabledSet_IsNotFound()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services);
        await services.Sets.DisableAsync(set.Id);

        var result = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "5"));

        result.IsSetFound.Should().BeFalse();
    }

    [Fact]
    public async Task Ingest_RotatedAwayToken_IsNotFoundAfterGracePeriod()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services);
        var rotated = await services.Sets.RotateTokenAsync(set.Id, TimeSpan.FromMinutes(10));

        var duringGrace = await services.Ingestor.IngestAsync(set.Token, Registration(click.Id));
        services.Time.Advance(TimeSpan.FromMinutes(10));
        var afterGrace = await services.Ingestor.IngestAsync(set.Token, Registration(click.Id));
        var newToken = await services.Ingestor.IngestAsync(rotated!.Token, Registration(click.Id));

        duringGrace.Outcome.Should().Be(PostbackOutcome.Accepted);
        afterGrace.IsSetFound.Should().BeFalse();
        newToken.Outcome.Should().Be(PostbackOutcome.Duplicate);
    }

    [Fact]
    public async Task Replay_AcceptedPostback_IsDuplicate()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services);
        var first = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "7"));
        var entry = (await services.Store.Log.ListAsync(new PostbackLogQuery(), default)).Single();

        var replay = await services.Ingestor.ReplayAsync(entry);

        replay.Outcome.Should().Be(PostbackOutcome.Duplicate);
        replay.ConversionId.Should().Be(first.ConversionId);
    }

    [Fact]
    public async Task Replay_RejectedPostbackAfterSettingsFix_IsAcceptedWithOriginalReceiveTime()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });
        var click = await services.Clicks.CreateAsync(new NewClick { CampaignId = "camp-1" });
        var request = new PostbackRequest { QueryString = $"?click_id={click.Id}&deposit_first=true&amount=30&transaction_id=77" };
        var rejected = await services.Ingestor.IngestAsync(set.Token, request);
        rejected.Rejection!.Code.Should().Be(PostbackRejectionCodes.EventUnknown);
        var entry = (await services.Store.Log.ListAsync(new PostbackLogQuery(), default)).Single();
        await services.Sets.UpdateAsync(set.Id, new PostbackSetChanges
        {
            Settings = JsonDocument.Parse("""{"eventFlags":{"deposit_first":"first-deposit"}}""").RootElement,
        });
        services.Time.Advance(TimeSpan.FromHours(2));

        var replay = await services.Ingestor.ReplayAsync(entry);

        replay.Outcome.Should().Be(PostbackOutcome.Accepted);
        replay.Conversion!.Event.Should().Be(PostbackEvent.FirstDeposit);
        replay.Conversion.ReceivedAt.Should().Be(TestServices.Start);
    }

    private static async Task<(PostbackSet Set, Click Click)> ArrangeAsync(TestServices services)
    {
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        var click = await services.Clicks.CreateAsync(new NewClick { CampaignId = "camp-1", SubjectId = "tg-42" });
        return (set, click);
    }

    private static PostbackRequest FirstDeposit(string clickId, string amount, string tid = "t1") => new()
    {
        Method = "GET",
        EventSegment = "first-deposit",
        QueryString = $"?clickid={clickId}&amount={amount}&tid={tid}",
    };

    private static PostbackRequest Registration(string clickId) => new()
    {
        EventSegment = "registration",
        QueryString = $"?clickid={clickId}",
    };
}
