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
        await using var session = await DashboardSession.StartAsync(browser.Browser, configure: DashboardData.ConfigureServices);
        var visits = await DashboardData.SeedAsync(session.Host);
        var violations = new List<string>();

        await session.GoToAsync("sign-in");
        violations.AddRange(await SeriousViolationsAsync(session.Page, "sign-in"));
        await session.SignInAsync();
        foreach (var visit in visits)
        {
            (await session.GoToAsync(visit.Path))!.Status.Should().Be(200, "{0} ({1}) opens", visit.Name, visit.Path);
            if (visit.Prepare is not null)
            {
                await visit.Prepare(session.Page);
            }

            violations.AddRange(await SeriousViolationsAsync(session.Page, visit.Name));
            if (visit.Screenshot is not null)
            {
                await session.ScreenshotAsync(visit.Screenshot);
            }
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
