using System.Net;
using Chatterfy.Postbacks.AspNetCore.Authentication;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Dashboard.Tests.Pages.Stats;

/// <summary>The Stats page over real HTTP, with figures made by real postbacks to the receiver.</summary>
public sealed class StatsPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 15, 0, 0, TimeSpan.Zero);
    private static readonly KeyValuePair<string, string> ApiKeyHeader = new(ChatterfyApiKeyDefaults.HeaderName, DashboardHost.ApiKey);

    [Fact]
    public async Task The_stats_page_shows_the_funnel_figures_and_the_exact_amount_of_a_first_deposit_counted_once()
    {
        await using var host = await StartAsync();
        var simulator = Simulator(host);
        var set = await simulator.CreateSetAsync(NetworkIds.Binomo, apiKeyHeader: ApiKeyHeader);
        var clickId = await simulator.CreateClickAsync(apiKeyHeader: ApiKeyHeader);
        await simulator.SendAsync(set.Urls, new BinomoPostback(SimulatedEvent.Registration, clickId) { TransactionId = "R-1" });
        await simulator.SendAsync(
            set.Urls,
            new BinomoPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 10.10m, TransactionId = "T-1" },
            new PostbackSimulationOptions { Retries = 1 });

        using var client = host.CreateClient(withApiKey: true);
        var response = await client.GetAsync($"{DashboardHost.Prefix}/stats");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("""<li id="funnel-clicks"><span class="label">Clicks</span> <span class="figure">1</span>""")
            .And.Contain("""<li id="funnel-registrations"><span class="label">Registrations</span> <span class="figure">1</span> <span class="rate">100.0 % of clicks</span>""")
            .And.Contain("""<li id="funnel-first-deposits"><span class="label">First deposits</span> <span class="figure">1</span> <span class="rate">100.0 % of registrations</span>""")
            .And.Contain("""<li id="funnel-deposits"><span class="label">Deposits</span> <span class="figure">0</span>""");
        html.Should().Contain("""<tr><th scope="row">USD</th><td class="number">10.10</td><td class="number">0</td><td class="number">10.10</td><td class="number">0</td></tr>""");
        html.Should().Contain("""aria-label="Amounts per currency: USD first deposits 10.10, deposits 0.""");
        html.Should().Contain("""<input type="date" id="stats-from" name="from" value="2026-11-04">""")
            .And.Contain("""<input type="date" id="stats-to" name="to" value="2026-12-03">""", "the default range is the last 30 UTC days ending today, by the host's clock");
        html.Should().Contain("""<tr><th scope="row">2026-12-03</th><td class="number">1</td><td class="number">1</td><td class="number">1</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td></tr>""")
            .And.Contain("""<tr><th scope="row">2026-11-04</th><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td></tr>""", "every UTC day of the range has its row")
            .And.Contain("""role="img" aria-label="Daily counts per UTC day from 2026-11-04 to 2026-12-03: clicks 1, registrations 1, first deposits 1, deposits 0.""")
            .And.Contain(">UTC day</text>");
    }

    [Fact]
    public async Task The_repeat_deposits_are_shown_by_deposit_number_next_to_the_deposits_and_in_the_daily_table()
    {
        await using var host = await StartAsync();
        var simulator = Simulator(host);
        var set = await simulator.CreateSetAsync(NetworkIds.Binomo, apiKeyHeader: ApiKeyHeader);
        var clickId = await simulator.CreateClickAsync(apiKeyHeader: ApiKeyHeader);
        await simulator.SendAsync(set.Urls, new BinomoPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 10m, TransactionId = "T-1" });
        for (var i = 2; i <= 5; i++)
        {
            await simulator.SendAsync(set.Urls, new BinomoPostback(SimulatedEvent.Deposit, clickId) { Amount = 5m, TransactionId = $"T-{i}" });
        }

        using var client = host.CreateClient(withApiKey: true);
        var html = await client.GetStringAsync($"{DashboardHost.Prefix}/stats");

        html.Should().Contain(Figure("deposits", 4))
            .And.Contain("""<dt>Deposit #2</dt><dd id="funnel-repeat-2">1</dd><dt>Deposit #3</dt><dd id="funnel-repeat-3">1</dd><dt>Deposit #4&#x2B;</dt><dd id="funnel-repeat-4plus">2</dd>""");
        html.Should().Contain("""<tr><th scope="row">2026-12-03</th><td class="number">1</td><td class="number">0</td><td class="number">1</td><td class="number">4</td><td class="number">1</td><td class="number">1</td><td class="number">2</td><td class="number">0</td><td class="number">0</td><td class="number">0</td></tr>""");
    }

    [Fact]
    public async Task The_set_and_campaign_filters_count_only_what_they_select_and_a_set_name_is_shown_as_text()
    {
        await using var host = await StartAsync();
        await host.Services.GetRequiredService<CampaignService>().CreateAsync(
            new NewCampaign { Id = "spring", DestinationTemplate = "https://t.me/mybot?start={{tracker.clickid}}" });
        var simulator = Simulator(host);
        var first = await simulator.CreateSetAsync(NetworkIds.Binomo, apiKeyHeader: ApiKeyHeader, name: "<img src=x onerror=alert(1)>");
        var second = await simulator.CreateSetAsync(NetworkIds.Binomo, apiKeyHeader: ApiKeyHeader, name: "Second");
        var springClick = await simulator.CreateClickAsync(campaignId: "spring", apiKeyHeader: ApiKeyHeader);
        var otherClick = await simulator.CreateClickAsync(apiKeyHeader: ApiKeyHeader);
        await simulator.SendAsync(first.Urls, new BinomoPostback(SimulatedEvent.Registration, springClick) { TransactionId = "R-1" });
        await simulator.SendAsync(first.Urls, new BinomoPostback(SimulatedEvent.Registration, otherClick) { TransactionId = "R-2" });
        await simulator.SendAsync(second.Urls, new BinomoPostback(SimulatedEvent.FirstDeposit, otherClick) { Amount = 5m, TransactionId = "T-1" });

        using var client = host.CreateClient(withApiKey: true);
        var all = await client.GetStringAsync($"{DashboardHost.Prefix}/stats");
        var firstSet = await client.GetStringAsync($"{DashboardHost.Prefix}/stats?setId={first.Id}");
        var spring = await client.GetStringAsync($"{DashboardHost.Prefix}/stats?campaignId=spring");

        all.Should().Contain(Figure("registrations", 2)).And.Contain(Figure("first-deposits", 1)).And.Contain(Figure("clicks", 2));
        firstSet.Should().Contain(Figure("registrations", 2)).And.Contain(Figure("first-deposits", 0)).And.Contain("""id="amounts-none""");
        firstSet.Should().Contain($"""<option value="{first.Id}" selected>&lt;img src=x onerror=alert(1)&gt;</option>""").And.NotContain("<img src=x");
        spring.Should().Contain(Figure("registrations", 1)).And.Contain(Figure("clicks", 1)).And.Contain(Figure("first-deposits", 0));
        spring.Should().Contain("""<option value="spring" selected>spring</option>""");
    }

    [Fact]
    public async Task With_a_reporting_currency_the_stats_page_shows_the_totals_in_it_and_without_one_it_shows_none()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s));
        var set = await ConversionData.CreateSetAsync(host, "Set");
        var click = await host.Services.GetRequiredService<ClickService>().CreateAsync(new NewClick());
        await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={click.Id}&amount=55.00&currency=BRL&tid=T1");
        await ConversionData.SendAsync(host, set, "deposit", $"clickid={click.Id}&amount=10.00&currency=USD&tid=T2");
        await using var plain = await StartAsync();
        using var client = host.CreateClient(withApiKey: true);
        using var plainClient = plain.CreateClient(withApiKey: true);

        var html = await client.GetStringAsync($"{DashboardHost.Prefix}/stats");
        var without = await plainClient.GetStringAsync($"{DashboardHost.Prefix}/stats");

        html.Should().Contain("""<h2 id="reporting-heading">Totals in USD</h2>""")
            .And.Contain("""<dd id="reporting-first-deposits">11.00 USD</dd>""")
            .And.Contain("""<dd id="reporting-deposits">10.00 USD</dd>""")
            .And.Contain("""<dd id="reporting-total">21.00 USD</dd>""");
        without.Should().NotContain("reporting-heading");
    }

    [Fact]
    public async Task The_stats_page_counts_approved_conversions_and_shows_the_pending_rejected_and_charged_back_ones_and_the_chargeback_sums()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s));
        var set = await ConversionData.CreateSetAsync(host, "Set");
        var click = await host.Services.GetRequiredService<ClickService>().CreateAsync(new NewClick());
        await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={click.Id}&amount=55.00&currency=BRL&tid=T1&status=Hold");
        await ConversionData.SendAsync(host, set, "deposit", $"clickid={click.Id}&amount=10.00&currency=USD&tid=T2&status=pending");
        await ConversionData.SendAsync(host, set, "deposit", $"clickid={click.Id}&amount=10.00&currency=USD&tid=T2&status=declined");
        await ConversionData.SendAsync(host, set, "deposit", $"clickid={click.Id}&amount=20.00&currency=USD&tid=T3");
        (await ConversionData.SendAsync(host, set, "status", $"clickid={click.Id}&tid=T3&status=Refund")).GetProperty("status").GetString().Should().Be("changed");
        await ConversionData.SendAsync(host, set, "deposit", $"clickid={click.Id}&amount=7.50&currency=USD&tid=T4");
        using var client = host.CreateClient(withApiKey: true);

        var html = await client.GetStringAsync($"{DashboardHost.Prefix}/stats");

        html.Should().Contain(Figure("first-deposits", 0)).And.Contain(Figure("deposits", 1));
        html.Should().Contain("""<dt>Rejected postbacks</dt><dd id="stats-rejected">0</dd>""", "the top-level figure counts refused postbacks, not rejected conversions");
        html.Should().Contain("""<p class="hint" id="stats-statuses">These figures count approved conversions only. Other statuses: <span id="stats-status-pending">pending 1</span>, <span id="stats-status-rejected">rejected 1</span>, <span id="stats-status-chargeback">chargeback 1</span>.</p>""");
        html.Should().Contain("""<th scope="col" class="number">Total</th><th scope="col" class="number">Chargebacks</th></tr>""")
            .And.Contain("""<tr><th scope="row">BRL</th><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td></tr>""", "a held first deposit is in no sum")
            .And.Contain("""<tr><th scope="row">USD</th><td class="number">0</td><td class="number">7.50</td><td class="number">7.50</td><td class="number">20.00</td></tr>""");
        html.Should().Contain("""<dd id="reporting-deposits">7.50 USD</dd>""").And.Contain("""<dd id="reporting-chargebacks">20.00 USD</dd>""");
        html.Should().Contain("""<th scope="col" class="number">Deposit #4&#x2B;</th><th scope="col" class="number">Pending</th><th scope="col" class="number">Rejected</th><th scope="col" class="number">Chargeback</th></tr>""")
            .And.Contain("""<tr><th scope="row">2026-12-03</th><td class="number">1</td><td class="number">0</td><td class="number">0</td><td class="number">1</td><td class="number">0</td><td class="number">0</td><td class="number">1</td><td class="number">1</td><td class="number">1</td><td class="number">1</td></tr>""");
    }

    [Fact]
    public async Task A_range_that_is_not_a_day_or_ends_before_it_starts_is_answered_400_with_the_error_next_to_its_field()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        var badDay = await client.GetAsync($"{DashboardHost.Prefix}/stats?from=03.12.2026");
        var backwards = await client.GetAsync($"{DashboardHost.Prefix}/stats?from=2026-12-03&to=2026-12-01");

        badDay.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await badDay.Content.ReadAsStringAsync()).Should().Contain("""<input type="date" id="stats-from" name="from" value="03.12.2026" aria-invalid="true" aria-describedby="stats-from-error">""")
            .And.Contain("""<p class="error" id="stats-from-error">A day is written YYYY-MM-DD (UTC).</p>""");
        backwards.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await backwards.Content.ReadAsStringAsync()).Should().Contain("""<p class="error" id="stats-to-error">The last day must not be before the first day.</p>""");
    }

    [Fact]
    public async Task A_set_id_no_set_ever_had_is_answered_404()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        var response = await client.GetAsync($"{DashboardHost.Prefix}/stats?setId=nope");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("No postback set has the id 'nope'.");
    }

    private static string Figure(string step, long figure) =>
        $"""<li id="funnel-{step}"><span class="label">{Label(step)}</span> <span class="figure">{figure}</span>""";

    private static string Label(string step) => step switch
    {
        "clicks" => "Clicks",
        "registrations" => "Registrations",
        "first-deposits" => "First deposits",
        _ => "Deposits",
    };

    private static Task<DashboardHost> StartAsync() =>
        DashboardHost.StartAsync(configure: s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));

    private static PostbackSimulator Simulator(DashboardHost host) => new(host.CreateClient());
}
