using Chatterfy.Postbacks.Dashboard.BrowserTests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Chatterfy.Postbacks.Dashboard.BrowserTests;

/// <summary>Every page scanned with axe (bundled in Deque.AxeCore.Playwright, no network): no serious or critical violation.</summary>
public sealed class AccessibilityTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task No_page_has_a_serious_or_critical_axe_violation()
    {
        await using var session = await DashboardSession.StartAsync(browser.Browser);
        var violations = new List<string>();

        await session.GoToAsync("sign-in");
        violations.AddRange(await SeriousViolationsAsync(session.Page, "sign-in"));
        await session.SignInAsync();
        foreach (var path in DashboardPaths.SignedIn)
        {
            await session.GoToAsync(path);
            violations.AddRange(await SeriousViolationsAsync(session.Page, path));
        }

        violations.Should().BeEmpty();
    }

    private static async Task<IEnumerable<string>> SeriousViolationsAsync(IPage page, string path)
    {
        var result = await page.RunAxe();
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .SelectMany(v => v.Nodes.Select(n => $"{path}: {v.Impact} {v.Id} at {n.Target} ({n.Html})"));
    }
}
