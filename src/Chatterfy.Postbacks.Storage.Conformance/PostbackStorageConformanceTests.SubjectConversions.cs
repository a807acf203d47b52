namespace Chatterfy.Postbacks.Storage.Conformance;

// IngestStore.ListConversionsAsync with ConversionListQuery.SubjectId: a chat user's conversions.
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>
    /// A subject's conversions are those of the clicks bound to it or carrying it, in every campaign, newest first and
    /// paged like every list; another subject's and unbound clicks' conversions are not listed.
    /// </summary>
    [Fact]
    public async Task ListConversions_BySubject_ListsThoseOfTheClicksBoundToOrCarryingIt()
    {
        var store = await NewStorageAsync();
        var subject = "tg:" + StoreTestData.NewId()[..9];
        var other = "tg:" + StoreTestData.NewId()[..9];
        var named = StoreTestData.Click(campaignId: "camp-1") with { SubjectId = null };
        var carrying = StoreTestData.Click(StoreTestData.Epoch.AddDays(-1), "camp-2") with { SubjectId = subject };
        var othersClick = StoreTestData.Click(campaignId: "camp-1") with { SubjectId = other };
        var unbound = StoreTestData.Click(campaignId: "camp-1") with { SubjectId = null };
        foreach (var click in new[] { named, carrying, othersClick, unbound })
        {
            await AddClickAsync(store, click);
        }

        await store.Clicks.BindSubjectAsync(Binding(subject, "camp-1", clickId: named.Id), None);
        var mine = new List<ConversionRecord>();
        for (var i = 0; i < 4; i++)
        {
            var conversion = StoreTestData.Conversion(clickId: i % 2 == 0 ? named.Id : carrying.Id, receivedAt: StoreTestData.Epoch.AddMinutes(i / 2));
            await StoreAsync(store, conversion);
            mine.Add(conversion);
        }

        await StoreAsync(store, StoreTestData.Conversion(clickId: othersClick.Id));
        await StoreAsync(store, StoreTestData.Conversion(clickId: unbound.Id));
        var newestFirst = mine.OrderByDescending(c => c.Conversion.ReceivedAt).ThenByDescending(c => c.Id, StringComparer.Ordinal).Select(c => c.Id).ToList();

        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { SubjectId = subject }, None)).Select(c => c.Id).Should().Equal(newestFirst);
        var firstPage = await store.Ingest.ListConversionsAsync(new ConversionListQuery { SubjectId = subject, Limit = 3 }, None);
        var secondPage = await store.Ingest.ListConversionsAsync(new ConversionListQuery { SubjectId = subject, Limit = 3, BeforeId = firstPage[^1].Id }, None);
        firstPage.Concat(secondPage).Select(c => c.Id).Should().Equal(newestFirst);
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { SubjectId = subject, ClickId = carrying.Id }, None)).Select(c => c.Id)
            .Should().Equal(newestFirst.Where(id => mine.Single(c => c.Id == id).Conversion.ClickId == carrying.Id));
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { SubjectId = "tg:nobody" }, None)).Should().BeEmpty();
    }
}
