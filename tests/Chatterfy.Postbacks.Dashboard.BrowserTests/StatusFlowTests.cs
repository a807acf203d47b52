using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.BrowserTests.Infrastructure;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Chatterfy.Postbacks.Dashboard.BrowserTests;

/// <summary>
/// A marketer follows a deposit's statuses in a real browser: a pending first deposit, its approval and its chargeback,
/// all through the real receiver; the conversion's history and the log's two <c>changed</c> rows; a screenshot of the history.
/// </summary>
public sealed class StatusFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_marketer_sees_a_deposit_go_from_pending_to_approved_to_chargeback_in_its_history_and_two_changed_rows_in_the_log()
    {
        await using var session = await DashboardSession.StartAsync(browser.Browser, configure: s => ConversionData.Configure(s, reporting: false));
        var set = await ConversionData.CreateSetAsync(session.Host, "1Win main");
        var click = await session.Host.Services.GetRequiredService<ClickService>().CreateAsync(new NewClick());
        await ConversionData.SendAsync(session.Host, set, "first-deposit", $"clickid={click.Id}&amount=55.00&currency=BRL&tid=T1&status=Hold");
        await ConversionData.SendAsync(session.Host, set, "first-deposit", $"clickid={click.Id}&amount=55.00&currency=BRL&tid=T1&status=Confirmed");
        await ConversionData.SendAsync(session.Host, set, "status", $"clickid={click.Id}&tid=T1&status=Refund");
        var page = session.Page;
        await session.SignInAsync();

        // The conversions list: the deposit is a chargeback now; the status filter finds it, and no approved one.
        await page.GetByRole(AriaRole.Link, new() { Name = "Conversions", Exact = true }).ClickAsync();
        await page.GetByLabel("Status").SelectOptionAsync("chargeback");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.Locator("#conversions-table tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#conversions-table tbody tr .badge")).ToHaveTextAsync("chargeback");

        // Its page: the status and the two changes, each with the word as received and its log entry.
        await page.Locator("#conversions-table tbody tr a[href*='/conversions/']").Last.ClickAsync();
        await page.WaitForURLAsync("**/conversions/*");
        await Assertions.Expect(page.Locator("#conversion-status .badge")).ToHaveTextAsync("chargeback");
        var history = page.Locator("#conversion-history tbody tr");
        await Assertions.Expect(history).ToHaveCountAsync(2);
        (await history.Nth(0).Locator("td").AllInnerTextsAsync()).Take(4).Should().Equal("2026-12-03 15:00:01 UTC", "pending", "approved", "Confirmed");
        (await history.Nth(1).Locator("td").AllInnerTextsAsync()).Take(4).Should().Equal("2026-12-03 15:00:02 UTC", "approved", "chargeback", "Refund");
        await session.ScreenshotAsync("conversion-history");
        (await page.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical").Select(v => v.Id).Should().BeEmpty("the history table is accessible");

        // The chargeback's log entry link leads to its row, a changed one that links back to the conversion.
        var conversionUrl = page.Url;
        var entryLink = history.Nth(1).Locator("a.log-entry");
        var entryId = (await entryLink.InnerTextAsync()).Trim();
        await entryLink.ClickAsync();
        var row = page.Locator($"#log-{entryId}");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator(".badge")).ToHaveTextAsync("changed");
        (await row.Locator("a[href*='/conversions/']").GetAttributeAsync("href")).Should().Be(new Uri(conversionUrl).AbsolutePath);

        // The log filtered to changed: the approval and the chargeback.
        await page.GetByRole(AriaRole.Link, new() { Name = "Log", Exact = true }).ClickAsync();
        await page.GetByLabel("Outcome").SelectOptionAsync("changed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.Locator("#log-table tbody tr[id^='log-']:not([id$='-detail-row'])")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#log-table tbody tr[id^='log-']:not([id$='-detail-row']) .badge")).ToHaveTextAsync(["changed", "changed"]);
    }
}
