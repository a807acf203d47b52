using Chatterfy.Postbacks.Caching;

namespace Chatterfy.Postbacks.Tests.Caching;

public sealed class ExpiringCacheTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryGet_BeforeAndAtExpiry_HitsThenMisses()
    {
        var cache = new ExpiringCache<string?>(maxEntries: 10);
        cache.Set("a", null, T0.AddSeconds(5));

        cache.TryGet("a", T0.AddSeconds(4.999), out var before).Should().BeTrue("a cached null is a value");
        before.Should().BeNull();
        cache.TryGet("a", T0.AddSeconds(5), out _).Should().BeFalse("an entry expires at its expiry time");
        cache.TryGet("b", T0, out _).Should().BeFalse();
    }

    [Fact]
    public void Set_WhenFull_StartsOverInsteadOfGrowing()
    {
        var cache = new ExpiringCache<int>(maxEntries: 3);
        cache.Set("a", 1, T0.AddHours(1));
        cache.Set("b", 2, T0.AddHours(1));
        cache.Set("c", 3, T0.AddHours(1));

        cache.Set("d", 4, T0.AddHours(1));

        cache.TryGet("a", T0, out _).Should().BeFalse();
        cache.TryGet("c", T0, out _).Should().BeFalse();
        cache.TryGet("d", T0, out var d).Should().BeTrue();
        d.Should().Be(4);
    }

    [Fact]
    public void RemoveWhere_ForgetsOnlyMatchingValues()
    {
        var cache = new ExpiringCache<int>(maxEntries: 10);
        cache.Set("a", 1, T0.AddHours(1));
        cache.Set("b", 2, T0.AddHours(1));
        cache.Set("c", 1, T0.AddHours(1));

        cache.RemoveWhere(value => value == 1);
        cache.Remove("missing");

        cache.TryGet("a", T0, out _).Should().BeFalse();
        cache.TryGet("c", T0, out _).Should().BeFalse();
        cache.TryGet("b", T0, out _).Should().BeTrue();
    }
}
