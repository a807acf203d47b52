using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Sqlite.Tests;

/// <summary>Two receivers (two service providers, two stores) over one SQLite file, as two processes on one host.</summary>
public sealed class TwoInstancesAttributionWindowTests : IDisposable
{
    private const int Postbacks = 40;

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task SamePostbackAfterTheCampaignsWindowIngestedAtOnceByTwoInstances_IsOneUnattributedConversionDecidedAlikeByAll()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        await using var first = await StartAsync(time);
        await using var second = await StartAsync(time);
        await first.GetRequiredService<CampaignService>().CreateAsync(new NewCampaign
        {
            Id = "camp-1",
            DestinationTemplate = "https://t.me/mybot?start={{tracker.clickid}}",
            AttributionWindowSeconds = 3600,
        });
        var set = await first.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        var late = await second.GetRequiredService<ClickService>().CreateAsync(new NewClick { CampaignId = "camp-1" });
        time.Advance(TimeSpan.FromSeconds(3601));
        var ingestors = new[] { first.GetRequiredService<PostbackIngestor>(), second.GetRequiredService<PostbackIngestor>() };
        var request = new PostbackRequest { EventSegment = "first-deposit", QueryString = $"?clickid={late.Id}&amount=25.50&tid=T-1" };
        using var go = new ManualResetEventSlim();

        var ingests = Enumerable.Range(0, Postbacks).Select(i => Task.Run(async () =>
        {
            go.Wait();
            return await ingestors[i % 2].IngestAsync(set.Token, request);
        })).ToArray();
        go.Set();
        var results = await Task.WhenAll(ingests).WaitAsync(TimeSpan.FromMinutes(2));

        results.Count(r => r.Outcome == PostbackOutcome.Unattributed).Should().Be(1);
        results.Count(r => r.Outcome == PostbackOutcome.Duplicate).Should().Be(Postbacks - 1);
        results.Select(r => r.ConversionId).Distinct().Should().ContainSingle();
        results.Should().OnlyContain(r => r.Warnings.Single().Code == PostbackWarningCodes.AttributionWindowPassed, "every instance decides the window alike for the same receive time");
        var stored = (await second.GetRequiredService<ClickService>().ListConversionsAsync(late.Id)).Should().ContainSingle().Subject;
        stored.AttributionWindowPassed.Should().BeTrue();
        stored.Attribution.Should().Be(ConversionAttribution.Unattributed);
        (await first.GetRequiredService<PostbackStorage>().Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), CancellationToken.None)).Should().Equal(
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Unattributed, "USD", 1, 25.50m));
    }

    private async Task<ServiceProvider> StartAsync(FakeTimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddChatterfyPostbacks(o => o.PublicBaseUrl = "https://pb.example.com").UseSqlite(_database.Path);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<SqlitePostbackStore>().InitializeAsync();
        return provider;
    }
}
