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
    [Fact]
    public async Task A_marketer_creates_a_Binomo_postback_copies_its_URLs_sees_the_conversions_counted_once_then_fixes_a_1Win_set_and_replays()
    {
        await using var session = await DashboardSession.StartAsync(browser.Browser);
        var page = session.Page;
        await session.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = session.Origin.GetLeftPart(UriPartial.Authority) });
        await session.SignInAsync();
        await session.ScreenshotAsync("02-postbacks-empty");

        // Create postback: Binomo, no campaign.
        await page.GetByRole(AriaRole.Link, new() { Name = "Create postback" }).ClickAsync();
        await ChooseNetworkAsync(page, "Binomo");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Binomo main");
        (await page.GetByLabel("Campaign", new() { Exact = true }).InputValueAsync()).Should().BeEmpty();
        (await page.Locator("select#campaignId option:checked").InnerTextAsync()).Should().Be("All campaigns");
        await session.ScreenshotAsync("03-create-postback");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create postback" }).ClickAsync();
        await page.WaitForURLAsync("**/postbacks/*?created=1");
        await Assertions.Expect(page.Locator("#set-notice")).ToContainTextAsync("Postback created");
        await session.ScreenshotAsync("04-postback-urls");

        // Copy the three URLs; the clipboard holds exactly the URL shown.
        var copied = new Dictionary<string, string>();
        foreach (var (title, id) in new[] { ("Registration URL", "url-registration"), ("First Deposit URL", "url-first-deposit"), ("Deposit URL", "url-deposit") })
        {
            await page.EvaluateAsync("navigator.clipboard.writeText('')");
            await page.GetByRole(AriaRole.Button, new() { Name = "Copy " + title }).ClickAsync();
            await Assertions.Expect(page.Locator($"#{id}-status")).ToHaveTextAsync("Copied");
            var clipboard = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
            var shown = (await page.Locator($"code#{id}").InnerTextAsync()).Trim();
            clipboard.Should().Be(shown, "the Copy button for the {0} copies the URL shown", title);
            copied[title] = clipboard;
        }

        copied.Values.Should().OnlyHaveUniqueItems();
        var urls = new PostbackUrls(copied["Registration URL"], copied["First Deposit URL"], copied["Deposit URL"], Base: "");
        urls.Registration.Should().StartWith(session.Origin.GetLeftPart(UriPartial.Authority));

        // A click, then the network's registration, first deposit and its retry.
        var clicks = session.Host.Services.GetRequiredService<ClickService>();
        var click = await clicks.CreateAsync(new NewClick());
        using var http = new HttpClient { BaseAddress = session.Host.BaseAddress };
        var simulator = new PostbackSimulator(http);
        (await simulator.SendAsync(urls, new BinomoPostback(SimulatedEvent.Registration, click.Id))).Single().Status.Should().Be("accepted");
        var deposit = await simulator.SendAsync(urls, new BinomoPostback(SimulatedEvent.FirstDeposit, click.Id) { Amount = 50.25m, TransactionId = "tx-1" }, new() { Retries = 1 });
        deposit.Select(r => r.Status).Should().Equal("accepted", "duplicate");

        await page.GetByRole(AriaRole.Link, new() { Name = "Log", Exact = true }).ClickAsync();
        var rows = page.Locator("#log-table tbody tr[id^='log-']:not([id$='-detail-row'])");
        (await rows.Locator("td:nth-child(4)").AllInnerTextsAsync()).Should().Equal("duplicate", "accepted", "accepted");
        (await rows.Locator("td:nth-child(3)").AllInnerTextsAsync()).Should().Equal("first-deposit", "first-deposit", "registration");
        await rows.First.Locator("xpath=following-sibling::tr[1]//summary").ClickAsync();
        await session.ScreenshotAsync("05-log");

        await page.GetByRole(AriaRole.Link, new() { Name = "Stats", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#funnel-clicks .figure")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#funnel-registrations .figure")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#funnel-first-deposits .figure")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#funnel-deposits .figure")).ToHaveTextAsync("0");
        (await page.Locator("#amounts-table tbody tr td:nth-of-type(1)").AllInnerTextsAsync()).Should().Equal("50.25");
        await session.ScreenshotAsync("06-stats");

        // A 1Win set that reads the click id from sub1 (its default), created the same way.
        await page.GetByRole(AriaRole.Link, new() { Name = "Postbacks", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Create postback" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("1Win main");
        await ChooseNetworkAsync(page, "1Win");
        (await page.GetByLabel("Name", new() { Exact = true }).InputValueAsync()).Should().Be("1Win main", "the name typed before choosing the network is kept");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create postback" }).ClickAsync();
        await page.WaitForURLAsync("**/postbacks/*?created=1");
        var oneWinFirstDeposit = (await page.Locator("code#url-first-deposit").InnerTextAsync()).Trim();
        oneWinFirstDeposit.Should().Contain("{sub1}");
        var oneWinPage = page.Url;

        // The network sends the click id in sub4 and leaves sub1={sub1}: refused, macro_not_substituted.
        var oneWinClick = await clicks.CreateAsync(new NewClick());
        var oneWinUrls = new PostbackUrls(
            (await page.Locator("code#url-registration").InnerTextAsync()).Trim(), oneWinFirstDeposit, (await page.Locator("code#url-deposit").InnerTextAsync()).Trim(), Base: "");
        var refused = await simulator.SendAsync(
            oneWinUrls,
            new OneWinPostback(SimulatedEvent.FirstDeposit, clickId: null) { Amount = 20.00m, TransactionId = "1w-tx-1" },
            new() { Parameters = new Dictionary<string, string?> { ["clickid"] = null, ["sub1"] = "{sub1}", ["sub4"] = oneWinClick.Id } });
        refused.Single().Url.Should().Contain("sub1=%7Bsub1%7D").And.Contain($"sub4={oneWinClick.Id}").And.NotContain("clickid=");
        refused.Single().Code.Should().Be("macro_not_substituted");

        // Edit: the set reads sub4; then Replay the refused row: accepted.
        await page.GotoAsync(oneWinPage);
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        var clickIdSub = page.GetByLabel("Click id sub", new() { Exact = true });
        (await clickIdSub.InputValueAsync()).Should().BeOneOf("", "sub1");
        await clickIdSub.FillAsync("sub4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.Locator("#set-notice")).ToContainTextAsync("Changes saved");
        (await page.Locator("code#url-first-deposit").InnerTextAsync()).Should().Contain("{sub4}", "the set now reads sub4");

        await page.GetByRole(AriaRole.Link, new() { Name = "Log", Exact = true }).ClickAsync();
        await page.Locator("#log-outcome").SelectOptionAsync("rejected");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var rejected = page.Locator("#log-table tbody tr[id^='log-']:not([id$='-detail-row'])");
        await Assertions.Expect(rejected).ToHaveCountAsync(1);
        await Assertions.Expect(rejected.Locator("td:nth-child(5)")).ToHaveTextAsync("macro_not_substituted");
        await rejected.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        await Assertions.Expect(page.Locator("#replay-notice")).ToContainTextAsync("Replayed: accepted, conversion");
        await session.ScreenshotAsync("07-replayed");

        await page.SetViewportSizeAsync(375, 800);
        await session.GoToAsync("postbacks");
        await session.ScreenshotAsync("08-postbacks-375");
    }

    /// <summary>Chooses a network in Create postback's Affiliate Network list; the page reloads with its settings.</summary>
    private static async Task ChooseNetworkAsync(IPage page, string network)
    {
        // The list reloads the form through dashboard.js: wait until the page (and so the script) has loaded, else the
        // change would go unnoticed, as it does for a user without script (who presses Show settings instead).
        await page.WaitForLoadStateAsync(LoadState.Load);
        var select = page.GetByLabel("Affiliate Network");
        if (await select.Locator("option:checked").InnerTextAsync() != network)
        {
            var value = await select.SelectOptionAsync(new SelectOptionValue { Label = network });
            await page.WaitForURLAsync(url => new Uri(url).Query.Contains("network=" + value.Single(), StringComparison.Ordinal));
        }

        (await select.Locator("option:checked").InnerTextAsync()).Should().Be(network);
        await Assertions.Expect(page.Locator("#create-form legend")).ToHaveTextAsync($"{network} settings");
    }
}
