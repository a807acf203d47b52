using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Tests.PostbackSets;

/// <summary>Two "instances" are two service providers over one shared store, as two receivers over one database.</summary>
public sealed class PostbackSetCacheTests
{
    private static readonly PostbackRequest Registration = new() { EventSegment = "registration", QueryString = "?clickid=abc123XYZ0" };

    [Fact]
    public async Task DisablingASet_OnTheSameInstance_TakesEffectAtOnce()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        (await services.Ingestor.IngestAsync(set.Token, Registration)).IsSetFound.Should().BeTrue();

        await services.Sets.DisableAsync(set.Id);

        (await services.Ingestor.IngestAsync(set.Token, Registration)).IsSetFound.Should().BeFalse();
    }

    [Fact]
    public async Task DisablingASet_OnAnotherInstance_TakesEffectWhenTheCacheExpires()
    {
        var store = InMemoryPostbackStorage.Create();
        using var a = new TestServices(sharedStore: store);
        using var b = new TestServices(sharedStore: store, sharedTime: a.Time);
        var set = await a.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        (await b.Ingestor.IngestAsync(set.Token, Registration)).IsSetFound.Should().BeTrue();

        await a.Sets.DisableAsync(set.Id);
        var withinLifetime = await b.Ingestor.IngestAsync(set.Token, Registration);
        a.Time.Advance(TimeSpan.FromSeconds(5));
        var afterLifetime = await b.Ingestor.IngestAsync(set.Token, Registration);

        withinLifetime.IsSetFound.Should().BeTrue("the other instance's cache lives for SetCacheDuration (5 s)");
        afterLifetime.IsSetFound.Should().BeFalse();
    }

    [Fact]
    public async Task UnknownToken_IsRememberedBrieflySoGuessesDoNotReachTheStore()
    {
        var store = InMemoryPostbackStorage.Create();
        using var services = new TestServices(sharedStore: store);
        const string token = "Zz9Zz9Zz9Zz9Zz9Zz9Zz9A";
        (await services.Ingestor.IngestAsync(token, Registration)).IsSetFound.Should().BeFalse();

        // Another instance creates a set with exactly this token (only a test can arrange such a coincidence).
        await store.Sets.AddAsync(new PostbackSet { Id = "s1", Name = "x", NetworkId = "1win", Token = token, CreatedAt = TestServices.Start }, default);
        var remembered = await services.Ingestor.IngestAsync(token, Registration);
        services.Time.Advance(TimeSpan.FromSeconds(2));
        var expired = await services.Ingestor.IngestAsync(token, Registration);

        remembered.IsSetFound.Should().BeFalse("unknown tokens are cached for UnknownTokenCacheDuration (2 s)");
        expired.IsSetFound.Should().BeTrue();
    }

    [Fact]
    public async Task CacheDisabled_SeesOtherInstancesChangesAtOnce()
    {
        var store = InMemoryPostbackStorage.Create();
        using var a = new TestServices(sharedStore: store);
        using var b = new TestServices(o => o.SetCacheDuration = TimeSpan.Zero, sharedStore: store, sharedTime: a.Time);
        var set = await a.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        (await b.Ingestor.IngestAsync(set.Token, Registration)).IsSetFound.Should().BeTrue();

        await a.Sets.DeleteAsync(set.Id);

        (await b.Ingestor.IngestAsync(set.Token, Registration)).IsSetFound.Should().BeFalse();
    }

    [Fact]
    public async Task RotatedAwayToken_StopsExactlyWhenItsGracePeriodEnds_EvenIfLookedUpJustBefore()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        await services.Sets.RotateTokenAsync(set.Id, TimeSpan.FromMinutes(10));
        services.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        (await services.Ingestor.IngestAsync(set.Token, Registration)).IsSetFound.Should().BeTrue();

        services.Time.Advance(TimeSpan.FromSeconds(1));

        (await services.Ingestor.IngestAsync(set.Token, Registration)).IsSetFound.Should().BeFalse();
    }
}
