using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Tests.Storage;

public sealed class PostbackStatsServiceTests
{
    [Fact]
    public async Task Get_SetThatNeverExisted_ReturnsNull()
    {
        using var services = new TestServices();
        await services.Clicks.CreateAsync(new NewClick());

        var stats = await services.Get<PostbackStatsService>().GetAsync(new PostbackStatsQuery { SetId = "01a21ce06e0070000000000000000000" });

        stats.Should().BeNull("an unknown set has no figures, not everyone's clicks");
    }

    [Fact]
    public async Task Get_DeletedSet_ReturnsItsFigures()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        var click = await services.Clicks.CreateAsync(new NewClick());
        (await services.Ingestor.IngestAsync(set.Token, new PostbackRequest { EventSegment = "registration", QueryString = $"?clickid={click.Id}" })).IsSetFound.Should().BeTrue();
        (await services.Sets.DeleteAsync(set.Id)).Should().BeTrue();

        var stats = await services.Get<PostbackStatsService>().GetAsync(new PostbackStatsQuery { SetId = set.Id });

        stats.Should().NotBeNull();
        stats!.Registrations.Should().Be(1);
    }

    [Fact]
    public async Task Get_DeletedCampaignScopedSet_CountsTheClicksOfItsCampaign()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win", CampaignId = "spring" });
        await services.Clicks.CreateAsync(new NewClick { CampaignId = "spring" });
        await services.Clicks.CreateAsync(new NewClick { CampaignId = "autumn" });
        (await services.Sets.DeleteAsync(set.Id)).Should().BeTrue();

        var stats = await services.Get<PostbackStatsService>().GetAsync(new PostbackStatsQuery { SetId = set.Id });

        stats!.Clicks.Should().Be(1, "a deleted set keeps its figures, and its clicks are those of its campaign");
    }

    [Fact]
    public async Task Get_NoSetFilter_CountsEverything()
    {
        using var services = new TestServices();
        await services.Clicks.CreateAsync(new NewClick());

        var stats = await services.Get<PostbackStatsService>().GetAsync(new PostbackStatsQuery());

        stats!.Clicks.Should().Be(1);
    }
}
