using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Authentication;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Reconciliation;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Chatterfy.Postbacks.Dashboard.BrowserTests.Infrastructure;

/// <summary>One dashboard page the layout and accessibility tests visit once signed in.</summary>
/// <param name="Name">What the page is, for failure messages.</param>
/// <param name="Path">Its path inside the dashboard.</param>
/// <param name="Prepare">What a user does on it before it is checked (e.g. expands a row), or <see langword="null"/>.</param>
/// <param name="Screenshot">The name of its screenshot (<c>artifacts/screenshots/</c>), or <see langword="null"/> for none.</param>
internal sealed record DashboardVisit(string Name, string Path, Func<IPage, Task>? Prepare = null, string? Screenshot = null);

/// <summary>
/// Data for every page to have something to show: a campaign, a Binomo and a 1Win set, a click with a registration, a
/// first deposit and its retry (log rows, stats), a held deposit, a declined one and a charged-back one (the stats'
/// statuses), a rejected postback, a facebook-capi rule and its outbox message. The
/// host's dispatcher is off (<see cref="ConfigureServices"/>), so no message leaves the machine.
/// </summary>
internal static class DashboardData
{
    /// <summary>A link with all three of the link check's warnings: no click macro, <c>&amp;amp;</c>, a second <c>?</c>.</summary>
    public const string LinkWithWarnings = "https://partner.example/landing?p=abcd&amp;sub2=x?lang=en";

    /// <summary>The chat user the data binds in the campaign.</summary>
    public const string Subject = "tg:123456789";

    /// <summary>Turns the forwarding dispatcher off and lets a rule name a loopback URL, as the forwarding page tests do.</summary>
    /// <param name="services">The host's services.</param>
    public static void ConfigureServices(IServiceCollection services) =>
        services.Configure<ForwardingOptions>(o =>
        {
            (o.AllowHttp, o.AllowPrivateNetworks) = (true, true);
            o.Dispatcher.Enabled = false;
        });

    /// <summary>Stores the data and returns every signed-in page to visit.</summary>
    /// <param name="host">A host started with <see cref="ConfigureServices"/>.</param>
    /// <returns>The pages, in navigation order.</returns>
    public static async Task<IReadOnlyList<DashboardVisit>> SeedAsync(DashboardHost host)
    {
        var services = host.Services;
        await services.GetRequiredService<CampaignService>().CreateAsync(
            new NewCampaign { Id = "spring", Name = "Spring", DestinationTemplate = "https://partner.example/landing?p=abcd&sub1={{tracker.clickid}}" });
        var sets = services.GetRequiredService<PostbackSetService>();
        var binomo = await sets.CreateAsync(new NewPostbackSet { Name = "Binomo main", NetworkId = NetworkIds.Binomo });
        var oneWin = await sets.CreateAsync(new NewPostbackSet { Name = "1Win main", NetworkId = NetworkIds.OneWin });
        await services.GetRequiredService<ForwardingRuleService>().CreateAsync(new NewForwardingRule
        {
            Name = "Meta main",
            SetId = binomo.Id,
            DestinationId = "facebook-capi",
            Settings = JsonDocument.Parse("""{"pixelId":"123456789012345","accessToken":"EAAB-never-shown","graphBaseUrl":"http://127.0.0.1:9"}""").RootElement,
        });

        var apiKey = new KeyValuePair<string, string>(ChatterfyApiKeyDefaults.HeaderName, DashboardHost.ApiKey);
        using var http = host.CreateClient();
        var simulator = new PostbackSimulator(http);
        var click = await simulator.CreateClickAsync(apiKeyHeader: apiKey);
        var binomoUrls = sets.GetUrls(binomo, host.BaseAddress.ToString().TrimEnd('/'));
        (await simulator.SendAsync(binomoUrls, new BinomoPostback(SimulatedEvent.Registration, click))).Single().Status.Should().Be("accepted");
        (await simulator.SendAsync(binomoUrls, new BinomoPostback(SimulatedEvent.FirstDeposit, click) { Amount = 50.25m, TransactionId = "tx-1" }, new() { Retries = 1 }))
            .Select(r => r.Status).Should().Equal("accepted", "duplicate");
        var oneWinUrls = sets.GetUrls(oneWin, host.BaseAddress.ToString().TrimEnd('/'));
        var refused = await simulator.SendAsync(
            oneWinUrls,
            new OneWinPostback(SimulatedEvent.Registration, clickId: null),
            new() { Parameters = new Dictionary<string, string?> { ["clickid"] = null, ["sub1"] = "{sub1}", ["sub4"] = click } });
        refused.Single().Code.Should().Be("macro_not_substituted", refused.Single().ResponseBody);

        // A chat user bound in the campaign, with a registration (the conversion, chat user and reconciliation pages).
        var subjectClick = (await services.GetRequiredService<ClickService>().GetOrCreateForSubjectAsync(Subject, "spring")).Click;
        (await simulator.SendAsync(binomoUrls, new BinomoPostback(SimulatedEvent.Registration, subjectClick.Id))).Single().Status.Should().Be("accepted");
        var firstDeposit = (await services.GetRequiredService<ConversionService>().ListAsync(new ConversionListQuery { ClickId = click })).Single(c => c.DepositNumber == 1);

        // A kept reconciliation report: the chat user's registration matched, a deposit no postback brought missing here.
        using var networkReport = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
            $"click_id,event,amount,currency,transaction_id,time\n{subjectClick.Id},registration,,,,2026-12-03T14:59:00Z\n{subjectClick.Id},deposit,30.00,USD,T9,2026-12-03T14:59:30Z\n"));
        var kept = (await services.GetRequiredService<ReconciliationService>().ReconcileAsync(binomo.Id, networkReport))!;

        // Deposits in the other statuses, through the receiver (after the reconciliation, so its report stays as it is):
        // one held, one held then declined, one approved then charged back; the Stats page counts them apart.
        (string Id, string[] Statuses)[] deposits = [("tx-2", ["hold"]), ("tx-3", ["hold", "declined"]), ("tx-4", ["approved", "chargeback"])];
        foreach (var (id, statuses) in deposits)
        {
            foreach (var status in statuses)
            {
                (await simulator.SendAsync(binomoUrls, new BinomoPostback(SimulatedEvent.Deposit, click) { Amount = 15.00m, TransactionId = id, Status = status }))
                    .Single().Status.Should().BeOneOf("accepted", "changed");
            }
        }

        var message = (await services.GetRequiredService<OutboxStore>().ListAsync(new OutboxQuery(), CancellationToken.None)).Should().NotBeEmpty().And.Subject.First();

        return
        [
            new("Postbacks", "postbacks", Screenshot: "postbacks"),
            new("Create postback (Binomo)", "postbacks/new?network=binomo"),
            new("Create postback (1Win)", "postbacks/new?network=1win"),
            new("a set's page after creating", $"postbacks/{binomo.Id}?created=1"),
            new("Edit", $"postbacks/{oneWin.Id}/edit"),
            new("Delete confirmation", $"postbacks/{binomo.Id}/delete"),
            new("Links with warnings", $"links?template={Uri.EscapeDataString(LinkWithWarnings)}&setId={binomo.Id}",
                async page => await Assertions.Expect(page.Locator("#link-warnings li")).ToHaveCountAsync(3), "links"),
            new("Log with a row expanded", "log", async page =>
            {
                await page.Locator("#log-table summary").First.ClickAsync();
                await Assertions.Expect(page.Locator("#log-table details[open]")).ToHaveCountAsync(1);
            }, "log"),
            new("Conversions", "conversions", Screenshot: "conversions"),
            new("a conversion", $"conversions/{firstDeposit.Id}", Screenshot: "conversion"),
            new("a chat user", $"subjects/{Subject}"),
            new("Reconciliation", $"postbacks/{binomo.Id}/reconciliation"),
            new("a kept reconciliation report", $"postbacks/{binomo.Id}/reconciliations/{kept.Id}"),
            new("Stats with data", "stats", async page =>
            {
                await Assertions.Expect(page.Locator("#amounts-table tbody tr td")).ToHaveTextAsync(["50.25", "0", "50.25", "15.00"]);
                await Assertions.Expect(page.Locator("#stats-statuses")).ToHaveTextAsync(
                    "These figures count approved conversions only. Other statuses: pending 1, rejected 1, chargeback 1.");
            }, "stats"),
            new("Forwarding rules", "forwarding", Screenshot: "forwarding"),
            new("Create rule (facebook-capi)", "forwarding/rules/new?destination=facebook-capi"),
            new("Outbox", "forwarding/outbox"),
            new("an outbox message", $"forwarding/outbox/{message.Id}"),
        ];
    }
}
