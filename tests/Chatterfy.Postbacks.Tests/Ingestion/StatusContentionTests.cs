using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Tests.Ingestion;

/// <summary>A status change that loses the store's compare-and-set is decided again, a bounded number of times.</summary>
public sealed class StatusContentionTests
{
    [Fact]
    public async Task IngestAsync_ChangeLostOnce_IsDecidedAgainAndChanges()
    {
        var inner = InMemoryPostbackStorage.Create();
        var store = new RecordingIngestStore(inner.Ingest, preferredBatchSize: 1);
        using var services = new TestServices(build: b => b.UseStorage(_ => store.Around(inner)));
        var (set, click) = await ArrangeAsync(services);
        var pending = await services.Ingestor.IngestAsync(set.Token, Postback(click.Id, "pending"));
        var lost = 0;
        store.RefuseChange = _ => Interlocked.Increment(ref lost) == 1;

        var result = await services.Ingestor.IngestAsync(set.Token, Postback(click.Id, "approved"));

        result.Outcome.Should().Be(PostbackOutcome.Changed);
        result.ConversionId.Should().Be(pending.ConversionId);
        store.ChangeCalls.Should().Be(2);
        (await inner.Ingest.GetConversionAsync(pending.ConversionId!, default))!.History.Should().ContainSingle();
    }

    [Fact]
    public async Task IngestAsync_ChangeLostEveryTime_ThrowsStoreUnavailableAfterFiveAttempts_AndWritesNothing()
    {
        var inner = InMemoryPostbackStorage.Create();
        var store = new RecordingIngestStore(inner.Ingest, preferredBatchSize: 1);
        using var services = new TestServices(build: b => b.UseStorage(_ => store.Around(inner)));
        var (set, click) = await ArrangeAsync(services);
        var pending = await services.Ingestor.IngestAsync(set.Token, Postback(click.Id, "pending"));
        store.RefuseChange = _ => true;

        var ingesting = async () => await services.Ingestor.IngestAsync(set.Token, Postback(click.Id, "approved"));

        await ingesting.Should().ThrowAsync<PostbackStoreUnavailableException>();
        store.ChangeCalls.Should().Be(5);
        (await inner.Ingest.GetConversionAsync(pending.ConversionId!, default))!.Status.Should().Be(ConversionStatus.Pending);
        (await inner.Log.ListAsync(new PostbackLogQuery(), default)).Should().ContainSingle("only the pending postback was logged");
    }

    private static PostbackRequest Postback(string clickId, string status) =>
        new() { EventSegment = "first-deposit", QueryString = $"?clickid={clickId}&amount=10&tid=T-1&status={status}" };

    private static async Task<(PostbackSet Set, Click Click)> ArrangeAsync(TestServices services)
    {
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        var click = await services.Clicks.CreateAsync(new NewClick { CampaignId = "camp-1" });
        return (set, click);
    }
}
