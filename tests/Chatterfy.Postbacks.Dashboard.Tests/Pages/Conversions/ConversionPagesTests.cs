using System.Net;
using System.Text.RegularExpressions;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Dashboard.Tests.Pages.Conversions;

/// <summary>The Conversions list, a conversion's page and the log's links to them, over real HTTP with real postbacks.</summary>
public sealed partial class ConversionPagesTests
{
    private const string Hostile = "<img src=x onerror=alert(1)>";

    [Fact]
    public async Task The_list_shows_each_conversion_with_its_amount_deposit_number_and_reporting_amount_and_encodes_every_value()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s));
        var set = await ConversionData.CreateSetAsync(host, Hostile);
        var click = await host.Services.GetRequiredService<ClickService>().CreateAsync(new NewClick());
        await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={click.Id}&amount=50.25&currency=USD&tid=T1");
        var repeat = await ConversionData.SendAsync(host, set, "deposit", $"clickid={click.Id}&amount=55&currency=BRL&tid={Uri.EscapeDataString("<script>x</script>")}");
        var repeatId = repeat.GetProperty("conversionId").GetString()!;
        using var client = host.CreateClient(withApiKey: true);

        var html = await GetAsync(client, "conversions");

        html.Should().Contain("&lt;img src=x onerror=alert(1)&gt;").And.NotContain("<img src=x");
        var row = Regex.Match(html, $"<tr id=\"conversion-{repeatId}\">.*?</tr>", RegexOptions.Singleline).Value;
        row.Should().Contain("""<time datetime="2026-12-03T15:00:01Z">2026-12-03 15:00:01 UTC</time>""")
            .And.Contain("<td>deposit</td>")
            .And.Contain($"""<a href="/postbacks-admin/conversions?clickId={click.Id}"><code>{click.Id}</code></a>""")
            .And.Contain("""<td class="number">55 BRL</td>""")
            .And.Contain("""<td class="number"><span class="deposit-number">#2</span></td>""")
            .And.Contain("""<td class="number">11.00 USD</td>""")
            .And.Contain($"""<a href="/postbacks-admin/conversions/{repeatId}"><code>{repeatId}</code></a>""");
        html.Should().Contain("""<td class="number">50.25 USD</td>""").And.Contain("""<span class="deposit-number">#1</span>""");
        html.IndexOf(repeatId, StringComparison.Ordinal).Should().BeLessThan(html.IndexOf("50.25 USD", StringComparison.Ordinal), "newest first");
    }

    [Fact]
    public async Task The_set_click_and_chat_user_filters_narrow_the_list_and_a_chat_user_id_that_breaks_the_rule_is_answered_400()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        await host.Services.GetRequiredService<CampaignService>().CreateAsync(new NewCampaign { Id = "spring", DestinationTemplate = "https://t.me/mybot?start={{tracker.clickid}}" });
        var first = await ConversionData.CreateSetAsync(host, "First");
        var second = await ConversionData.CreateSetAsync(host, "Second");
        var bound = (await host.Services.GetRequiredService<ClickService>().GetOrCreateForSubjectAsync("tg:42", "spring")).Click;
        await ConversionData.SendAsync(host, first, "registration", $"clickid={bound.Id}");
        await ConversionData.SendAsync(host, second, "registration", "clickid=other-click");
        using var client = host.CreateClient(withApiKey: true);

        var bySet = await GetAsync(client, $"conversions?setId={second.Id}");
        var byClick = await GetAsync(client, $"conversions?clickId={bound.Id}");
        var bySubject = await GetAsync(client, "conversions?subjectId=tg%3A42");
        var badSubject = await client.GetAsync($"{DashboardHost.Prefix}/conversions?subjectId={Uri.EscapeDataString(Hostile)}");

        bySet.Should().Contain("<code>other-click</code>").And.NotContain($"<code>{bound.Id}</code>");
        bySet.Should().Contain($"""<option value="{second.Id}" selected>Second</option>""");
        byClick.Should().Contain($"<code>{bound.Id}</code>").And.NotContain("<code>other-click</code>");
        bySubject.Should().Contain($"<code>{bound.Id}</code>").And.NotContain("<code>other-click</code>");
        bySubject.Should().Contain("""<p id="conversions-subject-link">These are the conversions of one chat user: <a href="/postbacks-admin/subjects/tg%3A42">see <code>tg:42</code>'s page</a>""");
        byClick.Should().NotContain("conversions-subject-link");
        badSubject.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var bad = await badSubject.Content.ReadAsStringAsync();
        bad.Should().Contain($"""<span class="error" role="alert" id="conversions-subject-error">{SubjectIds.Rule}</span>""")
            .And.Contain("value=\"&lt;img src=x onerror=alert(1)&gt;\"").And.NotContain("<img src=x").And.NotContain("conversions-subject-link", "an id that breaks the rule has no page to link to");
    }

    [Fact]
    public async Task A_full_page_links_to_the_older_conversions_which_continue_where_it_ended()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await ConversionData.CreateSetAsync(host, "Set");
        for (var i = 0; i <= ConversionListQueryLimit; i++)
        {
            await ConversionData.SendAsync(host, set, "registration", $"clickid=click-{i:000}");
        }

        using var client = host.CreateClient(withApiKey: true);
        var first = await GetAsync(client, "conversions");
        var older = OlderLink().Match(first);
        older.Success.Should().BeTrue();
        var second = await GetAsync(client, WebUtility.HtmlDecode(older.Groups["href"].Value)[(DashboardHost.Prefix.Length + 1)..]);

        Regex.Matches(first, "<tr id=\"conversion-").Should().HaveCount(ConversionListQueryLimit);
        Regex.Matches(second, "<tr id=\"conversion-").Should().ContainSingle();
        second.Should().Contain("<code>click-000</code>", "the oldest is on the second page");
        first.Should().NotContain("<code>click-000</code>");
        OlderLink().IsMatch(second).Should().BeFalse();
    }

    [Fact]
    public async Task A_conversion_page_shows_every_stored_field_its_log_entry_its_reporting_amount_with_rate_and_day_and_links_its_chat_user()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s));
        await host.Services.GetRequiredService<CampaignService>().CreateAsync(new NewCampaign { Id = "spring", DestinationTemplate = "https://t.me/mybot?start={{tracker.clickid}}" });
        var set = await ConversionData.CreateSetAsync(host, Hostile);
        var click = (await host.Services.GetRequiredService<ClickService>().GetOrCreateForSubjectAsync("tg:123456789", "spring")).Click;
        var answer = await ConversionData.SendAsync(
            host, set, "first-deposit", $"clickid={click.Id}&amount=55.00&currency=BRL&tid={Uri.EscapeDataString("<script>x</script>")}&fields.note={Uri.EscapeDataString(Hostile)}");
        var id = answer.GetProperty("conversionId").GetString()!;
        using var client = host.CreateClient(withApiKey: true);

        var html = await GetAsync(client, $"conversions/{id}");

        html.Should().Contain($"<h1>Conversion <code>{id}</code></h1>")
            .And.Contain("""<dd id="conversion-event">first-deposit</dd>""")
            .And.Contain("""<dd id="conversion-amount">55.00 BRL</dd>""")
            .And.Contain("""<dd id="conversion-deposit-number"><span class="deposit-number">#1</span></dd>""")
            .And.Contain("""<span id="conversion-reporting">11.00 USD</span> at rate <span id="conversion-rate">0.2</span> of <time id="conversion-rate-date" datetime="2026-12-03">2026-12-03</time>""")
            .And.Contain("<code>&lt;script&gt;x&lt;/script&gt;</code>")
            .And.Contain("<li><code>note</code> = <code>&lt;img src=x onerror=alert(1)&gt;</code></li>")
            .And.Contain("""<span class="badge credited">credited</span>""")
            .And.Contain("<code>spring</code>")
            .And.Contain("""<a id="conversion-subject" href="/postbacks-admin/subjects/tg%3A123456789"><code>tg:123456789</code></a>""");
        html.Should().NotContain("<script>x").And.NotContain("<img src=x");
        html.Should().MatchRegex($"""<ul id="conversion-log"><li><a class="log-entry" href="/postbacks-admin/log\?setId={set.Id}&amp;from=2026-12-03T15%3A00&amp;to=2026-12-03T15%3A01#log-[^"]+"><code>[^<]+</code></a> <span class="badge accepted">accepted</span>""");

        var logHref = WebUtility.HtmlDecode(Regex.Match(html, "<a class=\"log-entry\" href=\"(?<href>[^\"#]+)#log-(?<id>[^\"]+)\"").Groups["href"].Value);
        var entryId = Regex.Match(html, "<a class=\"log-entry\" href=\"[^\"#]+#log-(?<id>[^\"]+)\"").Groups["id"].Value;
        var log = await GetAsync(client, logHref[(DashboardHost.Prefix.Length + 1)..]);
        log.Should().Contain($"<tr id=\"log-{entryId}\">", "the link's log page shows the entry's row");
    }

    [Fact]
    public async Task A_log_row_with_a_conversion_links_to_it_with_its_deposit_number_and_a_rejected_row_links_nothing()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await ConversionData.CreateSetAsync(host, "Set");
        var click = await host.Services.GetRequiredService<ClickService>().CreateAsync(new NewClick());
        var id = (await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={click.Id}&amount=10&currency=USD&tid=T1")).GetProperty("conversionId").GetString()!;
        await ConversionData.SendAsync(host, set, "first-deposit", "clickid={clickid}&amount=10&currency=USD");
        using var client = host.CreateClient(withApiKey: true);

        var html = await GetAsync(client, "log");

        html.Should().Contain($"""<td><a href="/postbacks-admin/conversions/{id}"><code>{id}</code></a> <span class="deposit-number">#1</span></td>""");
        Regex.Matches(html, "href=\"/postbacks-admin/conversions/").Should().ContainSingle("the rejected entry has no conversion");
    }

    [Fact]
    public async Task A_conversion_id_nothing_has_is_answered_404_with_the_id_encoded()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        var response = await client.GetAsync($"{DashboardHost.Prefix}/conversions/{Uri.EscapeDataString(Hostile)}");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("No conversion has the id '&lt;img src=x onerror=alert(1)&gt;'.").And.NotContain("<img src=x");
    }

    private const int ConversionListQueryLimit = Storage.ConversionListQuery.DefaultLimit;

    private static async Task<string> GetAsync(HttpClient client, string relative)
    {
        var response = await client.GetAsync($"{DashboardHost.Prefix}/{relative}");
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, html);
        return html;
    }

    [GeneratedRegex("<a id=\"conversions-older\" href=\"(?<href>[^\"]+)\">Older</a>")]
    private static partial Regex OlderLink();
}
