using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Telegram;
using Chatterfy.Postbacks.Tests.Repository;

namespace Chatterfy.Postbacks.Tests.Telegram;

/// <summary>docs/telegram.md's /start handler, as compiled here, does what the page says.</summary>
public sealed class StartHandlerExampleTests
{
    [Fact]
    public async Task OnMessageAsync_StartWithTheRedirectsClick_BindsItAndKeepsItForLaterMessages()
    {
        using var services = new TestServices();
        var redirected = await services.Clicks.CreateAsync(new NewClick { CampaignId = "spring", Fbclid = "IwAR-ad" });
        var handler = new StartHandlerExample(services.Clicks);

        var first = await handler.OnMessageAsync(5512, "/start " + TelegramDeepLinks.CreatePayload(redirected.Id, "spring"));
        var later = await handler.OnMessageAsync(5512, "/start");
        var other = await services.Clicks.CreateAsync(new NewClick { CampaignId = "spring" });
        var again = await handler.OnMessageAsync(5512, "/start " + other.Id);

        first.Should().Be($"https://binomo.com/en/promo/a21?open=register&click_id={redirected.Id}");
        later.Should().Be(first);
        again.Should().Be(first, "the first binding wins");
        (await services.Clicks.FindAsync(redirected.Id))!.SubjectId.Should().Be("tg:5512");
    }

    [Fact]
    public async Task OnMessageAsync_PlainStart_CreatesTheChatUsersClickOnce()
    {
        using var services = new TestServices();
        var handler = new StartHandlerExample(services.Clicks);

        var first = await handler.OnMessageAsync(7, "/start");
        var second = await handler.OnMessageAsync(7, "hello");

        second.Should().Be(first);
    }

    [Fact]
    public void TelegramPage_ShowsTheCompiledHandlerVerbatim()
    {
        var sample = Checkout.ReadText("tests/Chatterfy.Postbacks.Tests/Telegram/StartHandlerExample.cs");

        Checkout.ReadText("docs/telegram.md").Should().Contain("```csharp\n" + sample + "```\n", "docs/telegram.md shows the handler as it is compiled here");
    }
}
