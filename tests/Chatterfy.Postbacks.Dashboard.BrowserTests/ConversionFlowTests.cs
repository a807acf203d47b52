using System.Text;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.BrowserTests.Infrastructure;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Chatterfy.Postbacks.Dashboard.BrowserTests;

/// <summary>
/// A marketer follows a conversion in a real browser: from its log row to its page (deposit number, reporting amount), to
/// its chat user's page, and reconciles the set against the network's report: the kept report, the ingest of the row
/// missing here, and the ingested conversion in the Conversions list and the log (method RECONCILE); screenshots of each page.
/// </summary>
public sealed class ConversionFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Subject = "tg:123456789";

    [Fact]
    public async Task A_marketer_opens_a_deposit_from_the_log_then_its_chat_user_then_reconciles_the_set_and_ingests_the_conversion_missing_here()
    {
        await using var session = await DashboardSession.StartAsync(browser.Browser, configure: s => ConversionData.Configure(s));
        var services = session.Host.Services;
        await services.GetRequiredService<CampaignService>().CreateAsync(new NewCampaign { Id = "spring", Name = "Spring", DestinationTemplate = "https://t.me/mybot?start={{tracker.clickid}}" });
        var set = await ConversionData.CreateSetAsync(session.Host, "1Win main");
        var click = (await services.GetRequiredService<ClickService>().GetOrCreateForSubjectAsync(Subject, "spring")).Click;
        await ConversionData.SendAsync(session.Host, set, "registration", $"clickid={click.Id}");
        await ConversionData.SendAsync(session.Host, set, "first-deposit", $"clickid={click.Id}&amount=55.00&currency=BRL&tid=T1");
        await ConversionData.SendAsync(session.Host, set, "deposit", $"clickid={click.Id}&amount=20.00&currency=USD&tid=T2");
        var page = session.Page;
        await session.SignInAsync();

        // Log → the repeat deposit's conversion: its number and its amount in the reporting currency.
        await page.GetByRole(AriaRole.Link, new() { Name = "Log", Exact = true }).ClickAsync();
        var newest = page.Locator("#log-table tbody tr[id^='log-']:not([id$='-detail-row'])").First;
        await Assertions.Expect(newest.Locator(".deposit-number")).ToHaveTextAsync("#2");
        await newest.Locator("a[href*='/conversions/']").ClickAsync();
        await page.WaitForURLAsync("**/conversions/*");
        await Assertions.Expect(page.Locator("#conversion-deposit-number")).ToHaveTextAsync("#2");
        await Assertions.Expect(page.Locator("#conversion-reporting")).ToHaveTextAsync("20.00 USD");

        // Back to the log, the first deposit: 55 BRL is 11.00 USD at 0.2, the receive day's rate.
        await page.GoBackAsync();
        var firstDeposit = page.Locator("#log-table tbody tr[id^='log-']:not([id$='-detail-row'])").Nth(1);
        await Assertions.Expect(firstDeposit.Locator(".deposit-number")).ToHaveTextAsync("#1");
        await firstDeposit.Locator("a[href*='/conversions/']").ClickAsync();
        await page.WaitForURLAsync("**/conversions/*");
        await Assertions.Expect(page.Locator("#conversion-deposit-number")).ToHaveTextAsync("#1");
        await Assertions.Expect(page.Locator("#conversion-amount")).ToHaveTextAsync("55.00 BRL");
        await Assertions.Expect(page.Locator("#conversion-reporting")).ToHaveTextAsync("11.00 USD");
        await Assertions.Expect(page.Locator("#conversion-rate")).ToHaveTextAsync("0.2");
        await Assertions.Expect(page.Locator("#conversion-rate-date")).ToHaveTextAsync("2026-12-03");
        await session.ScreenshotAsync("conversion");

        // Its log entry link leads back to its row.
        var entryLink = page.Locator("#conversion-log a.log-entry").First;
        var entryId = (await entryLink.InnerTextAsync()).Trim();
        await entryLink.ClickAsync();
        await Assertions.Expect(page.Locator($"#log-{entryId}")).ToBeVisibleAsync();
        await page.GoBackAsync();

        // The chat user's page: the click bound in Spring and the user's three conversions.
        await page.Locator("#conversion-subject").ClickAsync();
        await page.WaitForURLAsync("**/subjects/*");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Chat user {Subject}");
        await Assertions.Expect(page.Locator("#subject-bindings tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#subject-bindings tbody tr td").Nth(1)).ToHaveTextAsync(click.Id);
        await Assertions.Expect(page.Locator("#subject-conversions tbody tr")).ToHaveCountAsync(3);
        (await page.Locator("#subject-conversions tbody tr td:nth-child(3)").AllInnerTextsAsync()).Should().Equal("deposit", "first-deposit", "registration");
        await session.ScreenshotAsync("subject");

        // Reconcile the set: the network lists the first deposit and one deposit no postback brought.
        await page.GetByRole(AriaRole.Link, new() { Name = "Postbacks", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "1Win main" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Reconcile" }).ClickAsync();
        await page.GetByLabel("Network's report").SetInputFilesAsync(new FilePayload
        {
            Name = "network-report.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes($"""
                click_id,event,amount,currency,transaction_id,time
                {click.Id},registration,,,,2026-12-03T14:59:00Z
                {click.Id},first_deposit,55.00,BRL,T1,2026-12-03T14:59:00Z
                {click.Id},deposit,20.00,USD,T2,2026-12-03T14:59:00Z
                {click.Id},deposit,30.00,USD,T9,2026-12-03T14:59:30Z
                """),
        });
        await page.GetByLabel("From (UTC, optional)").FillAsync("2026-12-03T00:00");
        await page.GetByLabel("To (UTC, optional)").FillAsync("2026-12-04T00:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reconcile" }).ClickAsync();

        // The upload redirects to the kept report's page.
        await page.WaitForURLAsync($"**/postbacks/{set.Id}/reconciliations/*");
        await Assertions.Expect(page.Locator("#report-rows")).ToHaveTextAsync("4");
        await Assertions.Expect(page.Locator("#report-matched")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#report-missing-here")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#report-missing-there")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#report-mismatches")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#report-missing-here-table tbody td").Nth(5)).ToHaveTextAsync("T9");
        (await page.Locator("#report-totals tbody tr th").AllInnerTextsAsync()).Should().Equal("BRL", "USD");
        var reportUrl = page.Url;

        // Ingest the row missing here, without forwarding (the box is unticked unless the marketer ticks it).
        await Assertions.Expect(page.GetByLabel("Also forward them")).Not.ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingest 1 missing conversions" }).ClickAsync();
        await Assertions.Expect(page.Locator("#ingest-notice")).ToHaveTextAsync("Ingested: 1 added, 0 already there; none forwarded.");
        await session.ScreenshotAsync("reconciliation");

        // The set's Reconcile page lists the kept report and links to it.
        await page.Locator("#report-back").ClickAsync();
        await Assertions.Expect(page.Locator("#reports-table tbody tr")).ToHaveCountAsync(1);
        await page.Locator("#reports-table tbody a").ClickAsync();
        await page.WaitForURLAsync(reportUrl);

        // The Conversions list shows the ingested deposit; its log entry was made by RECONCILE and warns it was reconciled.
        await page.GetByRole(AriaRole.Link, new() { Name = "Conversions", Exact = true }).ClickAsync();
        var ingested = page.Locator("#conversions-table tbody tr").Filter(new() { HasText = "30.00 USD" });
        await Assertions.Expect(ingested).ToHaveCountAsync(1);
        await ingested.Locator("a[href*='/conversions/']").ClickAsync();
        await page.WaitForURLAsync("**/conversions/*");
        var ingestedEntry = page.Locator("#conversion-log a.log-entry").First;
        var ingestedEntryId = (await ingestedEntry.InnerTextAsync()).Trim();
        await ingestedEntry.ClickAsync();
        await page.Locator($"#log-{ingestedEntryId}-detail summary").ClickAsync();
        var detail = page.Locator($"#log-{ingestedEntryId}-detail");
        await Assertions.Expect(detail.Locator("dd").First).ToHaveTextAsync("RECONCILE");
        await Assertions.Expect(detail).ToContainTextAsync("reconciled");
    }
}
