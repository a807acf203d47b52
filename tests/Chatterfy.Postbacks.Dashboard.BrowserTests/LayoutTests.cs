using Chatterfy.Postbacks.Dashboard.BrowserTests.Infrastructure;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;

namespace Chatterfy.Postbacks.Dashboard.BrowserTests;

/// <summary>A phone's width and the keyboard alone, in a real browser.</summary>
public sealed class LayoutTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const int PhoneWidth = 375;

    [Fact]
    public async Task At_375_px_wide_no_page_scrolls_sideways()
    {
        await using var session = await DashboardSession.StartAsync(
            browser.Browser, new() { ViewportSize = new() { Width = PhoneWidth, Height = 800 }, IsMobile = true, HasTouch = true }, DashboardData.ConfigureServices);
        var visits = await DashboardData.SeedAsync(session.Host);
        var page = session.Page;
        var wide = new List<string>();

        await session.GoToAsync("sign-in");
        await RecordWhenWiderAsync("sign-in");
        await session.SignInAsync();
        foreach (var visit in visits)
        {
            (await session.GoToAsync(visit.Path))!.Status.Should().Be(200, "{0} ({1}) opens", visit.Name, visit.Path);
            if (visit.Prepare is not null)
            {
                await visit.Prepare(page);
            }

            await RecordWhenWiderAsync(visit.Name);
        }

        wide.Should().BeEmpty("no page is wider than the phone's {0} px", PhoneWidth);

        async Task RecordWhenWiderAsync(string path)
        {
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            if (width > PhoneWidth)
            {
                // Name the elements that reach past the viewport, so the failure says what to fix.
                var culprits = await page.EvaluateAsync<string[]>($$"""
                    () => [...document.querySelectorAll('main *')]
                      .filter(e => e.getBoundingClientRect().right > {{PhoneWidth}} && !e.closest('.table-wrap'))
                      .slice(0, 5)
                      .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + e.className : ''}`)
                    """);
                wide.Add($"{path}: {width} px ({string.Join(", ", culprits)})");
            }
        }
    }

    [Fact]
    public async Task Create_postback_can_be_completed_with_the_keyboard_alone()
    {
        await using var session = await DashboardSession.StartAsync(browser.Browser);
        var page = session.Page;
        await session.SignInAsync();

        // From the list: Tab to "Create postback", Enter.
        await TabToAsync("create-postback");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**{DashboardHost.Prefix}/postbacks/new");

        // Name, then the network chosen by typing on the list (the page reloads with 1Win's settings, the name kept).
        await TabToAsync("name");
        await page.Keyboard.TypeAsync("Keyboard 1Win");
        await page.Keyboard.PressAsync("Tab");
        (await FocusedIdAsync()).Should().Be("network");
        await page.Keyboard.TypeAsync("1");
        await page.WaitForURLAsync(url => new Uri(url).Query.Contains("network=1win", StringComparison.Ordinal));
        (await page.Locator("#name").InputValueAsync()).Should().Be("Keyboard 1Win");
        (await page.Locator("#create-form legend").InnerTextAsync()).Should().Be("1Win settings");

        // Tab on to "Create postback" (past Show settings, Campaign and the settings) and press Enter.
        var passed = await TabToAsync("create-submit");
        passed.Should().Contain(["show-settings", "campaignId"]);
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync("**/postbacks/*?created=1");
        (await page.Locator("#set-notice").InnerTextAsync()).Should().Contain("Postback created");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Keyboard 1Win");
        (await page.Locator("#set-network").InnerTextAsync()).Should().Be("1Win");

        // Presses Tab until the element with that id has the focus (at most 40 times); returns the ids passed on the way.
        async Task<List<string>> TabToAsync(string id)
        {
            var passedIds = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                await page.Keyboard.PressAsync("Tab");
                var focused = await FocusedIdAsync();
                if (focused == id)
                {
                    return passedIds;
                }

                passedIds.Add(focused);
            }

            throw new InvalidOperationException($"Tab never reached #{id}; it passed {string.Join(", ", passedIds)}.");
        }

        Task<string> FocusedIdAsync() => page.EvaluateAsync<string>("document.activeElement.id");
    }

    [Fact]
    public async Task Tab_from_the_top_reaches_the_skip_link_then_the_navigation_and_the_skip_link_moves_to_the_content()
    {
        await using var session = await DashboardSession.StartAsync(browser.Browser);
        var page = session.Page;
        await session.SignInAsync();
        await session.GoToAsync("log");

        await page.Keyboard.PressAsync("Tab");
        (await FocusedAsync()).Should().Be("A Skip to content");
        var reached = new List<string>();
        for (var i = 0; i < 8 && !reached.Contains("A Postbacks"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await FocusedAsync());
        }

        reached.Should().Equal("A Chatterfy Postbacks", "A Postbacks");
        (await page.EvaluateAsync<bool>("document.activeElement.closest('nav') !== null")).Should().BeTrue();

        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Shift+Tab");
        (await FocusedAsync()).Should().Be("A Skip to content");
        await page.Keyboard.PressAsync("Enter");
        (await page.EvaluateAsync<string>("document.activeElement.id")).Should().Be("main");

        async Task<string> FocusedAsync() =>
            await page.EvaluateAsync<string>("`${document.activeElement.tagName} ${document.activeElement.innerText.trim()}`");
    }
}
