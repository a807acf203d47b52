using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Tests.Campaigns;

/// <summary>A destination that sends the visitor to a Telegram bot is checked as a deep link when the campaign is saved.</summary>
public sealed class TelegramDestinationTests
{
    [Theory]
    [InlineData("https://t.me/spring_funnel_bot?start={{tracker.clickid}}")]
    [InlineData("https://t.me/spring_funnel_bot?start={{tracker.clickid}}__spring")]
    [InlineData("https://telegram.me/SpringBot?start={{tracker.clickid}}&utm={{tracker.utm_source}}")]
    [InlineData("tg://resolve?domain=spring_funnel_bot&start={{tracker.clickid}}")]
    [InlineData("https://t.me/some_channel")]
    public async Task CreateAsync_TelegramDeepLinkDestination_IsSaved(string destination)
    {
        var campaigns = new CampaignService(InMemoryPostbackStorage.Create().Campaigns, new FakeTimeProvider());

        var campaign = await campaigns.CreateAsync(new NewCampaign { Id = "spring", DestinationTemplate = destination });

        campaign.DestinationTemplate.Should().Be(destination);
    }

    [Theory]
    [InlineData("https://t.me/spring?start={{tracker.clickid}}", "A Telegram destination names a bot*'spring' is not.")]
    [InlineData("tg://resolve?domain=1bot&start={{tracker.clickid}}", "A Telegram destination names a bot*'1bot' is not.")]
    [InlineData("https://t.me/spring_bot?start=fixed", "A Telegram destination's start value is {{tracker.clickid}}*")]
    [InlineData("https://t.me/spring_bot?start={{tracker.clickid}}_{{tracker.ad}}", "A Telegram destination's start value is {{tracker.clickid}}*")]
    [InlineData("https://t.me/spring_bot?start={{tracker.clickid}}__a_tag_that_is_far_too_long", "A Telegram destination's start value is {{tracker.clickid}}*")]
    public async Task CreateAsync_BrokenTelegramDeepLink_IsRefusedWithTheRule(string destination, string error)
    {
        var campaigns = new CampaignService(InMemoryPostbackStorage.Create().Campaigns, new FakeTimeProvider());

        var create = async () => await campaigns.CreateAsync(new NewCampaign { Id = "spring", DestinationTemplate = destination });

        (await create.Should().ThrowAsync<CampaignValidationException>()).Which.Errors["destination"].Should().ContainSingle().Which.Should().Match(error);
    }
}
