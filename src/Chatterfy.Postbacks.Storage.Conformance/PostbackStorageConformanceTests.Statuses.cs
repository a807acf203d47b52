using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.Conformance;

// Conversion statuses: a set keeps its status map (null = the default map).
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>A set's status map is stored, found by id and by token, listed, and replaced or reset by an update, words and their order kept.</summary>
    [Fact]
    public async Task AddSet_WithStatusMap_KeepsItThroughGetFindListAndUpdate()
    {
        var store = await NewStorageAsync();
        var keitaro = StatusMap(("approved", ["sale", "Confirmed"]), ("pending", ["lead"]), ("rejected", ["trash", "cancelled"]));
        var set = StoreTestData.Set() with { StatusMap = keitaro };
        var without = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        await store.Sets.AddAsync(without, None);

        ShouldMatch(await store.Sets.GetAsync(set.Id, None), set);
        ShouldMatch(await store.Sets.FindByTokenAsync(set.Token, StoreTestData.Epoch, None), set);
        (await store.Sets.GetAsync(without.Id, None))!.StatusMap.Should().BeNull();
        (await store.Sets.ListAsync(None)).Select(s => s.StatusMap?.ToJson()).Should().BeEquivalentTo([keitaro.ToJson(), null]);

        var binom = StatusMap(("chargeback", ["Refund"]), ("pending", ["Hold"]));
        ShouldMatch(await store.Sets.UpdateAsync(set with { StatusMap = binom }, None), set with { StatusMap = binom });
        (await store.Sets.GetAsync(set.Id, None))!.StatusMap!.ToJson().Should().Be("""{"pending":["Hold"],"chargeback":["Refund"]}""");
        ShouldMatch(await store.Sets.UpdateAsync(set with { StatusMap = null }, None), set with { StatusMap = null });
        (await store.Sets.GetAsync(set.Id, None))!.StatusMap.Should().BeNull();
    }

    private static ConversionStatusMap StatusMap(params (string Status, string[] Words)[] words)
    {
        ConversionStatusMap.TryCreate(words.ToDictionary(w => w.Status, w => (IReadOnlyList<string>?)w.Words), out var map, out var error)
            .Should().BeTrue(error);
        return map!;
    }
}
