using System.Globalization;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Tests.Storage;

public sealed class StoreIdsTests
{
    [Fact]
    public void New_Always_IsAVersion7GuidInNFormatThatCarriesTheTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 14, 5, 6, 789, TimeSpan.Zero));

        var id = StoreIds.New(time);

        id.Should().MatchRegex("^[0-9a-f]{32}$");
        var guid = Guid.ParseExact(id, "N");
        guid.Version.Should().Be(7);
        guid.Variant.Should().BeInRange(8, 11, "the variant bits are 10xx");
        guid.ToString("N").Should().Be(id);
        long.Parse(id[..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            .Should().Be(time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    [Fact]
    public void New_LaterTime_SortsAfter()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 14, 0, 0, TimeSpan.Zero));
        var earlier = StoreIds.New(time);
        time.Advance(TimeSpan.FromMilliseconds(1));

        var later = StoreIds.New(time);

        string.CompareOrdinal(later, earlier).Should().BePositive();
    }

    [Fact]
    public async Task New_ManyIdsOnManyThreadsInTheSameMillisecond_AreDistinctAndRandomAcrossRefills()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 14, 0, 0, TimeSpan.Zero));
        const int PerThread = StoreIds.IdsPerRefill * 20;

        var batches = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Enumerable.Range(0, PerThread).Select(_ => StoreIds.New(time)).ToArray())));

        var all = batches.SelectMany(b => b).ToArray();
        all.Should().OnlyHaveUniqueItems();
        // The 74 random bits differ in every position across the ids (no constant byte left by a refill).
        var randomHex = all.Select(id => id[13..16] + id[17..]).ToArray();
        for (var position = 0; position < randomHex[0].Length; position++)
        {
            randomHex.Select(h => h[position]).Distinct().Count().Should().BeGreaterThan(8, $"hex digit {position} of the random part varies");
        }
    }
}
