using Chatterfy.Postbacks.Dashboard.BrowserTests.Infrastructure;

namespace Chatterfy.Postbacks.Dashboard.BrowserTests;

/// <summary>A phone's width and the keyboard alone, in a real browser.</summary>
public sealed class LayoutTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const int PhoneWidth = 375;

    [Fact]
    public async Task At_375_px_wide_no_page_scrolls_sideways()
    {
        await using var session = await DashboardSession.StartAsync(
            browser.Browser, new() { ViewportSize = new() { Width = PhoneWidth, Height = 800 }, IsMobile = true, HasTouch = true });
        var page = session.Page;
        var wide = new List<string>();

        await session.GoToAsync("sign-in");
        await RecordWhenWiderAsync("sign-in");
        await session.SignInAsync();
        foreach (var path in DashboardPaths.SignedIn)
        {
            await session.GoToAsync(path);
            await RecordWhenWiderAsync(path);
        }

        wide.Should().BeEmpty("no page is wider than the phone's {0} px", PhoneWidth);

        async Task RecordWhenWiderAsync(string path)
        {
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            if (width > PhoneWidth)
            {
                wide.Add($"{path}: {width} px");
            }
        }
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
