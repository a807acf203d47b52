using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.BrowserTests.Infrastructure;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Chatterfy.Postbacks.Dashboard.BrowserTests;

/// <summary>The seed's "Create Postback" flow, exactly, in a real browser; screenshots of each step.</summary>
public sealed class SeedFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact(Skip = "Until the Postbacks and Log pages are on main: written against their branches' labels, not run yet")]
    public async Task A_marketer_creates_a_Binomo_postback_copies_its_URLs_sees_the_conversions_counted_once_then_fixes_a_1Win_set_and_replays()
    {
        await using var session = await DashboardSession.StartAsync(browser.Browser);
        var page = session.Page;
        await session.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = session.Origin.GetLeftPart(UriPartial.Authority) });
        await session.SignInAsync();
        await session.ScreenshotAsync("02-postbacks-empty");

        // Create postback: Binomo, no campaign.
        await page.GetByRole(AriaRole.Link, new() { Name = "Create postback" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Binomo main");
        await page.GetByLabel("Affiliate Network").SelectOptionAsync(new SelectOptionValue { Label = "Binomo" });
        (await page.GetByLabel("Campaign").InputValueAsync()).Should().BeEmpty();
        await session.ScreenshotAsync("03-create-postback");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create postback" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Postback created");
        await session.ScreenshotAsync("04-postback-urls");

        // Copy the three URLs; the clipboard holds exactly the URL shown.
        var copied = new Dictionary<string, string>();
        foreach (var title in new[] { "Registration URL", "First Deposit URL", "Deposit URL" })
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Copy " + title }).ClickAsync();
            var clipboard = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
            var shown = await page.Locator($"xpath=//button[@aria-label='Copy {title}']/ancestor::div[@class='url-item']//code").InnerTextAsync();
            clipboard.Should().Be(shown);
            copied[title] = clipboard;
        }

        var urls = new PostbackUrls(copied["Registration URL"], copied["First Deposit URL"], copied["Deposit URL"], Base: "");
        urls.Registration.Should().StartWith(session.Origin.GetLeftPart(UriPartial.Authority));

        // A click, then the network's registration, first deposit and its retry.
        var click = await session.Host.Services.GetRequiredService<ClickService>().CreateAsync(new NewClick());
        using var http = new HttpClient { BaseAddress = session.Host.BaseAddress };
        var simulator = new PostbackSimulator(http);
        (await simulator.SendAsync(urls, new BinomoPostback(SimulatedEvent.Registration, click.Id))).Single().Status.Should().Be("accepted");
        var deposit = await simulator.SendAsync(urls, new BinomoPostback(SimulatedEvent.FirstDeposit, click.Id) { Amount = 50.25m, TransactionId = "tx-1" }, new() { Retries = 1 });
        deposit.Select(r => r.Status).Should().Equal("accepted", "duplicate");

        await page.GetByRole(AriaRole.Link, new() { Name = "Log" }).ClickAsync();
        var outcomes = await page.Locator("#log-table tbody tr[id^='log-']:not([id$='-detail-row']) td:nth-child(4)").AllInnerTextsAsync();
        outcomes.Should().Equal("duplicate", "accepted", "accepted");
        await session.ScreenshotAsync("05-log");

        await page.GetByRole(AriaRole.Link, new() { Name = "Stats" }).ClickAsync();
        var stats = await page.Locator("main").InnerTextAsync();
        stats.Should().Contain("50.25");
        await session.ScreenshotAsync("06-stats");

        // A 1Win set that reads the click id from sub1; the network sends it in sub4 and leaves sub1={sub1}.
        var oneWin = await session.Host.Services.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        var oneWinUrls = session.Host.Services.GetRequiredService<PostbackSetService>().GetUrls(oneWin, session.Host.BaseAddress.ToString().TrimEnd('/'));
        var refused = await simulator.SendAsync(oneWinUrls, new OneWinPostback(SimulatedEvent.Registration, click.Id) { ClickIdSub = "sub4" }, new() { LeaveUnsubstituted = ["sub1"] });
        refused.Single().Code.Should().Be("macro_not_substituted");

        await session.GoToAsync($"postbacks/{oneWin.Id}/edit");
        await page.GetByLabel("Settings (JSON)").FillAsync("""{"clickIdSub":"sub4"}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await session.GoToAsync("log?outcome=rejected");
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("#replay-notice")).ToContainTextAsync("accepted");
        await session.ScreenshotAsync("07-replayed");

        await page.SetViewportSizeAsync(375, 800);
        await session.GoToAsync("postbacks");
        await session.ScreenshotAsync("08-postbacks-375");
    }
}
