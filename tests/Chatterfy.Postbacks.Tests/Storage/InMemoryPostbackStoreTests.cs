using System.Text.Json;
using Chatterfy.Postbacks.ConformanceTests;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Tests.Storage;

public sealed class InMemoryPostbackStoreTests : PostbackStoreConformanceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected override ValueTask<PostbackStore> CreateStoreAsync() => ValueTask.FromResult<PostbackStore>(new InMemoryPostbackStore());

    [Fact]
    public void EveryOperation_CompletesSynchronously()
    {
        var store = new InMemoryPostbackStore();
        var set = StoreTestData.Set();
        var click = StoreTestData.Click();
        var conversion = StoreTestData.Conversion(set.Id, click.Id);

        ShouldBeCompleted(store.AddSetAsync(set, None));
        ShouldBeCompleted(store.GetSetAsync(set.Id, None));
        ShouldBeCompleted(store.FindSetByTokenAsync(set.Token, StoreTestData.Epoch, None));
        ShouldBeCompleted(store.ListSetsAsync(None));
        ShouldBeCompleted(store.UpdateSetAsync(set, None));
        ShouldBeCompleted(store.RotateTokenAsync(set.Id, "tok_" + StoreTestData.NewId(), null, None));
        ShouldBeCompleted(store.AddClickAsync(click, None));
        ShouldBeCompleted(store.FindClickAsync(click.Id, None));
        ShouldBeCompleted(store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion), None));
        ShouldBeCompleted(store.GetConversionAsync(conversion.Id, None));
        ShouldBeCompleted(store.ListConversionsByClickAsync(click.Id, None));
        ShouldBeCompleted(store.AppendLogAsync(StoreTestData.LogEntry(set.Id), None));
        ShouldBeCompleted(store.ListLogAsync(new PostbackLogQuery(), None));
        ShouldBeCompleted(store.DeleteSetAsync(set.Id, None));
    }

    [Fact]
    public async Task EveryOperation_WithACancelledToken_ThrowsAndChangesNothing()
    {
        var store = new InMemoryPostbackStore();
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        var conversion = StoreTestData.Conversion(set.Id);
        var cancelled = new CancellationToken(canceled: true);
        Func<ValueTask>[] operations =
        [
            () => store.AddSetAsync(StoreTestData.Set(), cancelled),
            async () => await store.GetSetAsync(set.Id, cancelled),
            async () => await store.FindSetByTokenAsync(set.Token, StoreTestData.Epoch, cancelled),
            async () => await store.ListSetsAsync(cancelled),
            async () => await store.UpdateSetAsync(set with { Name = "Changed" }, cancelled),
            async () => await store.RotateTokenAsync(set.Id, "tok_" + StoreTestData.NewId(), null, cancelled),
            async () => await store.DeleteSetAsync(set.Id, cancelled),
            () => store.AddClickAsync(StoreTestData.Click(), cancelled),
            async () => await store.FindClickAsync("c1", cancelled),
            async () => await store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion), cancelled),
            async () => await store.GetConversionAsync(conversion.Id, cancelled),
            async () => await store.ListConversionsByClickAsync(conversion.Conversion.ClickId, cancelled),
            () => store.AppendLogAsync(StoreTestData.LogEntry(), cancelled),
            async () => await store.ListLogAsync(new PostbackLogQuery(), cancelled),
        ];

        foreach (var operation in operations)
        {
            await FluentActions.Awaiting(async () => await operation()).Should().ThrowAsync<OperationCanceledException>();
        }

        var stored = await store.GetSetAsync(set.Id, None);
        stored.Should().NotBeNull();
        stored!.Name.Should().Be(set.Name);
        stored.Token.Should().Be(set.Token);
        (await store.ListSetsAsync(None)).Should().ContainSingle();
        (await store.GetConversionAsync(conversion.Id, None)).Should().BeNull();
        (await store.ListLogAsync(new PostbackLogQuery(), None)).Should().BeEmpty();
    }

    [Fact]
    public async Task AddSet_DisposingTheCallersSettingsDocument_DoesNotAffectTheStoredSet()
    {
        var store = new InMemoryPostbackStore();
        Chatterfy.Postbacks.PostbackSets.PostbackSet set;
        using (var document = JsonDocument.Parse("""{"defaultCurrency":"USD"}"""))
        {
            set = StoreTestData.Set() with { Settings = document.RootElement };
            await store.AddSetAsync(set, None);
        }

        var stored = await store.GetSetAsync(set.Id, None);

        stored!.Settings!.Value.GetProperty("defaultCurrency").GetString().Should().Be("USD");
    }

    [Fact]
    public async Task StoredValues_AreCopies_SoLaterChangesByTheCallerDoNotReachTheStore()
    {
        var store = new InMemoryPostbackStore();
        var fields = new Dictionary<string, string> { ["ad_name"] = "spring-1" };
        var click = StoreTestData.Click() with { Fields = fields };
        await store.AddClickAsync(click, None);
        var attributes = new Dictionary<string, string> { ["user_id"] = "1" };
        var template = StoreTestData.Conversion(clickId: click.Id);
        var conversion = template with { Conversion = template.Conversion with { Attributes = attributes } };
        var warnings = new List<string> { "macro_not_substituted" };
        var entry = StoreTestData.LogEntry() with { Warnings = warnings };
        await store.AppendConversionAsync(conversion, StoreTestData.LogEntryFor(conversion), None);
        await store.AppendLogAsync(entry, None);

        fields["ad_name"] = "changed";
        attributes["user_id"] = "2";
        warnings.Add("added");

        (await store.FindClickAsync(click.Id, None))!.Fields["ad_name"].Should().Be("spring-1");
        (await store.GetConversionAsync(conversion.Id, None))!.Conversion.Attributes["user_id"].Should().Be("1");
        (await store.ListLogAsync(new PostbackLogQuery { SetId = entry.SetId }, None)).Single().Warnings
            .Should().Equal("macro_not_substituted");
    }

    [Fact]
    public async Task ListLog_ManyEntries_PagesThroughAllOfThemExactlyOnce()
    {
        var store = new InMemoryPostbackStore();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 250; i++)
        {
            var entry = StoreTestData.LogEntry("set-a", StoreTestData.Epoch.AddSeconds(i % 7));
            await store.AppendLogAsync(entry, None);
            ids.Add(entry.Id);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        for (; pages < 10; pages++)
        {
            var page = await store.ListLogAsync(new PostbackLogQuery { Limit = 40, BeforeId = cursor }, None);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(e => e.Id));
            cursor = page[^1].Id;
        }

        pages.Should().Be(7, "250 entries make six full pages and one of ten");
        seen.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(ids);
    }

    private static void ShouldBeCompleted(ValueTask task) => task.IsCompletedSuccessfully.Should().BeTrue();

    private static void ShouldBeCompleted<T>(ValueTask<T> task) => task.IsCompletedSuccessfully.Should().BeTrue();
}
