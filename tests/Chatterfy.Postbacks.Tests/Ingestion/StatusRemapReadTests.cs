using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Tests.Ingestion;

/// <summary>The status remap reads only the set's conversions whose status word was unknown, not the whole set.</summary>
public sealed class StatusRemapReadTests
{
    [Fact]
    public async Task RemapStatusesAsync_SetWithKnownAndUnknownWords_ReadsOnlyTheUnknownOnes()
    {
        var inner = InMemoryPostbackStorage.Create();
        var store = new RecordingIngestStore(inner.Ingest, preferredBatchSize: 1);
        using var services = new TestServices(build: b => b.UseStorage(_ => store.Around(inner)));
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        var other = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win too", NetworkId = "1win" });
        var click = await services.Clicks.CreateAsync(new NewClick { CampaignId = "camp-1" });

        // Four known words and none in the set, two unknown words (one the new map names), one unknown word in another set.
        string[] statuses = ["&status=hold", "&status=approved", "&status=confirmed", "&status=trash", "", "&status=Won", "&status=Gesperrt"];
        for (var i = 0; i < statuses.Length; i++)
        {
            await services.Ingestor.IngestAsync(set.Token, Deposit(click.Id, i, statuses[i]));
        }

        await services.Ingestor.IngestAsync(other.Token, Deposit(click.Id, 99, "&status=Won"));
        ConversionStatusMap.TryCreate(new Dictionary<ConversionStatus, IReadOnlyList<string>> { [ConversionStatus.Approved] = ["Won"] }, out var map, out _).Should().BeTrue();
        await services.Sets.UpdateAsync(set.Id, new PostbackSetChanges { StatusMap = map });

        var remapped = await services.Ingestor.RemapStatusesAsync(set.Id);

        remapped.Should().Be(1);
        store.ConversionLists.Should().OnlyContain(l => l.Query.SetId == set.Id && l.Query.StatusWordUnknown == true, "the remap asks the store for the set's unknown words");
        store.ConversionLists.Sum(l => l.Count).Should().Be(2, "the set's two unknown words are all the remap reads");
    }

    private static PostbackRequest Deposit(string clickId, int i, string status) =>
        new() { EventSegment = "deposit", QueryString = $"?clickid={clickId}&amount=10&tid=T-{i}{status}" };
}
